package io.horae.cli.dlq;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Every;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code dlq} and {@code job pause|resume}: usage errors are caught before any call (exit 2, the
 * first stderr line names the flag; the endpoint is a closed port, so a test that got past parsing
 * would exit 1), and the commands work against a real one-node cluster.
 */
class DlqCommandsTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(1, Map.of());

  private static final String NOWHERE = "--endpoints=127.0.0.1:1";

  private static String firstLine(Result r) {
    return r.err().lines().findFirst().orElse("");
  }

  @Test
  void aBarePurgeRemovesNothingAndSaysWhichFlagIsNeeded() {
    Result r = horae("dlq", "purge", NOWHERE);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(firstLine(r)).startsWith("horae: nothing to purge").contains("--all-matching");
  }

  @Test
  void aBareReplayIsAUsageErrorNamingAllMatching() {
    Result r = horae("dlq", "replay", NOWHERE);

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(firstLine(r)).contains("nothing to replay", "--all-matching");
  }

  @Test
  void filtersWithIdsAndIdsWithAllMatchingAreUsageErrors() {
    Result filterWithIds = horae("dlq", "purge", "default/a@1", "--job", "a", NOWHERE);
    Result both = horae("dlq", "replay", "default/a@1", "--all-matching", NOWHERE);

    assertThat(filterWithIds.exitCode()).isEqualTo(2);
    assertThat(firstLine(filterWithIds)).contains("--job", "--all-matching");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(firstLine(both)).contains("--all-matching", "not both");
  }

  @Test
  void badFilterValuesExitWith2NamingTheFlag() {
    Result status = horae("dlq", "ls", "--http-status", "42", NOWHERE);
    Result range =
        horae(
            "dlq",
            "purge",
            "--all-matching",
            "--from",
            "2026-01-02T00:00:00Z",
            "--to",
            "2026-01-01T00:00:00Z",
            NOWHERE);
    Result time = horae("dlq", "replay", "--all-matching", "--at", "soon", NOWHERE);
    Result limit = horae("dlq", "replay", "--all-matching", "--limit", "0", NOWHERE);

    assertThat(status.exitCode()).isEqualTo(2);
    assertThat(firstLine(status)).contains("'--http-status'", "100 and 599");
    assertThat(range.exitCode()).isEqualTo(2);
    assertThat(firstLine(range)).contains("'--to'");
    assertThat(time.exitCode()).isEqualTo(2);
    assertThat(firstLine(time)).contains("'--at'", "ISO-8601");
    assertThat(limit.exitCode()).isEqualTo(2);
    assertThat(firstLine(limit)).contains("'--limit'");
  }

  @Test
  void onAClusterLsListsNothingAndPurgeOfAnUnknownIdCountsItAsSkipped() {
    Result ls = CLUSTER.horae("-n", "dlq-cli", "dlq", "ls");
    Result purge = CLUSTER.horae("dlq", "purge", "default/unknown@1");
    Result purgeAll =
        CLUSTER.horae("-n", "dlq-cli", "dlq", "purge", "--all-matching", "--job", "nothing-here");
    Result get = CLUSTER.horae("dlq", "get", "default/unknown@1");

    assertThat(ls.exitCode()).as(ls.err()).isZero();
    assertThat(ls.out().lines())
        .singleElement()
        .asString()
        .startsWith("ID")
        .contains("DIED", "ATTEMPTS", "LAST RESULT");
    assertThat(purge.exitCode()).as(purge.err()).isZero();
    assertThat(purge.out()).contains("purged 0 dead letters (1 skipped");
    assertThat(purgeAll.exitCode()).as(purgeAll.err()).isZero();
    assertThat(purgeAll.out()).contains("purged 0 dead letters (0 skipped");
    assertThat(get.exitCode()).isEqualTo(1);
    assertThat(firstLine(get)).contains("default/unknown@1");
  }

  @Test
  void jobPauseAndResumeChangeTheJobsStateAndRefuseTheWrongState() {
    JobServiceGrpc.newBlockingStub(CLUSTER.cluster().channel("n1"))
        .createJob(
            io.horae.api.v1.CreateJobRequest.newBuilder()
                .setJob(
                    Job.newBuilder()
                        .setName("nightly")
                        .setSchedule(
                            Schedule.newBuilder()
                                .setEvery(
                                    Every.newBuilder()
                                        .setIntervalMs(86_400_000)
                                        .setAnchorMs(4_102_444_800_000L)))
                        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/x")))
                .build());

    Result pause = CLUSTER.horae("job", "pause", "nightly");
    Result again = CLUSTER.horae("job", "pause", "nightly");
    Result resume = CLUSTER.horae("job", "resume", "nightly");

    assertThat(pause.exitCode()).as(pause.err()).isZero();
    assertThat(pause.out()).contains("nightly", "PAUSED");
    assertThat(again.exitCode()).as("pausing a paused job is idempotent: %s", again.err()).isZero();
    assertThat(again.out()).contains("nightly", "PAUSED");
    assertThat(resume.exitCode()).as(resume.err()).isZero();
    assertThat(resume.out()).contains("ACTIVE");
    assertThat(CLUSTER.storedJob("default", "nightly").getPausedReason()).isEmpty();
  }
}
