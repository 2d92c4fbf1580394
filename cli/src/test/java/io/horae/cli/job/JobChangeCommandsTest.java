package io.horae.cli.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Job;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code job update}, {@code job trigger} and the filters of {@code job ls} against a real one-node
 * cluster: what they change, what they print, and how bad input is named. Targets are a closed
 * loopback port; nothing needs to be delivered.
 */
class JobChangeCommandsTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(1, Map.of());

  private static final String URL = "http://127.0.0.1:9/hook";

  private static void create(String namespace, String name, String... extra) {
    String[] base = {"-n", namespace, "job", "create", name, "--url", URL, "--every", "1h"};
    String[] args = new String[base.length + extra.length];
    System.arraycopy(base, 0, args, 0, base.length);
    System.arraycopy(extra, 0, args, base.length, extra.length);
    Result r = CLUSTER.horae(args);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void updateChangesOnlyTheGivenOptionsAndRaisesTheVersion() {
    create("upd", "nightly", "--label", "team=pay", "--priority", "1");

    Result r =
        CLUSTER.horae(
            "-n",
            "upd",
            "job",
            "update",
            "nightly",
            "--cron",
            "0 3 * * *",
            "--tz",
            "Europe/Berlin",
            "--misfire",
            "skip",
            "--misfire-grace",
            "10m",
            "--if-version",
            "1");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("cron '0 3 * * *' Europe/Berlin");
    Job stored = CLUSTER.storedJob("upd", "nightly");
    assertThat(stored.getVersion()).isEqualTo(2);
    assertThat(stored.getPriority()).isEqualTo(1);
    assertThat(stored.getLabelsMap()).containsExactly(Map.entry("team", "pay"));
    assertThat(stored.getMisfirePolicy())
        .isEqualTo(io.horae.api.v1.MisfirePolicy.MISFIRE_POLICY_SKIP);
    assertThat(stored.getMisfireGraceMs()).isEqualTo(600_000);
    Result bad = CLUSTER.horae("-n", "upd", "job", "update", "nightly", "--misfire", "sometimes");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--misfire");
  }

  @Test
  void aNewCronExpressionKeepsTheTimeZoneDstPoliciesEndAndFireLimitThatWereNotGiven() {
    Result created =
        CLUSTER.horae(
            "-n",
            "upd",
            "job",
            "create",
            "berlin",
            "--url",
            URL,
            "--cron",
            "0 9 * * 1-5",
            "--tz",
            "Europe/Berlin",
            "--dst-overlap",
            "both",
            "--end-at",
            "2099-01-01T00:00:00Z",
            "--max-fires",
            "500");
    assertThat(created.exitCode()).as(created.err()).isZero();

    Result r = CLUSTER.horae("-n", "upd", "job", "update", "berlin", "--cron", "30 8 * * 1-5");
    Result limit = CLUSTER.horae("-n", "upd", "job", "update", "berlin", "--max-fires", "900");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(limit.exitCode()).as(limit.err()).isZero();
    io.horae.api.v1.Schedule stored = CLUSTER.storedJob("upd", "berlin").getSchedule();
    assertThat(stored.getCron().getExpression()).isEqualTo("30 8 * * 1-5");
    assertThat(stored.getCron().getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(stored.getCron().getDstOverlap())
        .isEqualTo(io.horae.api.v1.Cron.DstOverlap.DST_OVERLAP_BOTH);
    assertThat(stored.getEndAtMs())
        .isEqualTo(java.time.Instant.parse("2099-01-01T00:00:00Z").toEpochMilli());
    assertThat(stored.getMaxFires()).isEqualTo(900);
  }

  @Test
  void updateAtAStaleVersionExitsWithTheCurrentVersionAndChangesNothing() {
    create("upd", "stale");
    assertThat(CLUSTER.horae("-n", "upd", "job", "update", "stale", "--priority", "2").exitCode())
        .isZero();

    Result r =
        CLUSTER.horae(
            "-n", "upd", "job", "update", "stale", "--priority", "3", "--if-version", "1");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("version 2");
    assertThat(CLUSTER.storedJob("upd", "stale").getPriority()).isEqualTo(2);
  }

  @Test
  void updateWithNothingToChangeOrABadLabelNamesTheProblem() {
    create("upd", "same");

    Result nothing = CLUSTER.horae("-n", "upd", "job", "update", "same");
    Result label = CLUSTER.horae("-n", "upd", "job", "update", "same", "--label", "novalue");

    assertThat(nothing.exitCode()).isEqualTo(2);
    assertThat(nothing.err()).contains("nothing to change");
    assertThat(label.exitCode()).isEqualTo(2);
    assertThat(label.err()).contains("--label");
    assertThat(CLUSTER.storedJob("upd", "same").getVersion()).isEqualTo(1);
  }

  @Test
  void triggerPrintsTheManualExecution() {
    create("trg", "now");

    Result r = CLUSTER.horae("-n", "trg", "-o", "json", "job", "trigger", "now");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("\"id\": \"trg/now@")
        .contains(".m\"")
        .contains("EXECUTION_TRIGGER_MANUAL");
  }

  @Test
  void aTriggerOrDeleteRepeatedWithItsRequestIdAnswersAsTheFirstTime() {
    CLUSTER.cluster().awaitAllApply(io.horae.statemachine.core.OpVersions.REQUEST_IDS);
    create("rid", "again");

    Result first =
        CLUSTER.horae("-n", "rid", "-o", "json", "job", "trigger", "again", "--request-id", "t-1");
    Result repeat =
        CLUSTER.horae("-n", "rid", "-o", "json", "job", "trigger", "again", "--request-id", "t-1");
    Result deleted = CLUSTER.horae("-n", "rid", "job", "rm", "again", "--request-id", "d-1");
    Result deletedAgain = CLUSTER.horae("-n", "rid", "job", "rm", "again", "--request-id", "d-1");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(repeat.out()).as("the same run, not a second").isEqualTo(first.out());
    assertThat(deleted.exitCode()).as(deleted.err()).isZero();
    assertThat(deletedAgain.exitCode()).as(deletedAgain.err()).isZero();
    assertThat(deletedAgain.out()).isEqualTo(deleted.out());
  }

  @Test
  void lsFiltersByLabelSelectorStateAndPrefix() {
    create("lsf", "pay-1", "--label", "team=pay", "--label", "env=prod");
    create("lsf", "pay-2", "--label", "team=pay", "--label", "env=dev");
    create("lsf", "ops-1", "--label", "team=ops");
    assertThat(CLUSTER.horae("-n", "lsf", "job", "pause", "pay-2").exitCode()).isZero();

    assertThat(names(CLUSTER.horae("-n", "lsf", "job", "ls", "-l", "team=pay,env!=dev")))
        .isEqualTo("pay-1");
    assertThat(
            names(CLUSTER.horae("-n", "lsf", "job", "ls", "-l", "team=pay", "--state", "paused")))
        .isEqualTo("pay-2");
    assertThat(names(CLUSTER.horae("-n", "lsf", "job", "ls", "--prefix", "ops")))
        .isEqualTo("ops-1");
    Result bad = CLUSTER.horae("-n", "lsf", "job", "ls", "--state", "sleeping");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--state");
  }

  @Test
  void aJobCreatedWithAfterHasNoScheduleAndAScheduleWithAfterIsRefused() {
    create("chn", "first");

    Result r =
        CLUSTER.horae("-n", "chn", "job", "create", "second", "--url", URL, "--after", "first");
    Result both =
        CLUSTER.horae(
            "-n", "chn", "job", "create", "third", "--url", URL, "--after", "first", "--every",
            "1h");
    Result neither = CLUSTER.horae("-n", "chn", "job", "create", "fourth", "--url", URL);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(CLUSTER.storedJob("chn", "second").getAfter()).isEqualTo("first");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--after");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("--after");
  }

  private static String names(Result r) {
    assertThat(r.exitCode()).as(r.err()).isZero();
    return String.join(",", r.out().lines().skip(1).map(l -> l.split(" ")[0]).toList());
  }
}
