package io.horae.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Job;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.Receiver;
import io.horae.server.secret.ClusterKey;
import io.horae.server.tls.ClusterCerts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code horae apply} and {@code horae job get -o yaml} against one real node with a cluster key
 * (secrets are sealed as in production) and a real webhook receiver. Each test works in its own
 * namespace, so the tests share the node and run in any order. Jobs fire on 1 January at 03:00 or
 * in 2100, at a closed loopback port, unless a test triggers one.
 */
class ApplyCommandTest {
  static final String SIGNING = "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  static final String TOKEN = "Bearer apply-" + "tok-31ee42ff";

  @RegisterExtension
  static final ClusterFixture CLUSTER =
      new ClusterFixture(1, Map.of("secrets.keyFile", keyFile().toString()));

  static Receiver receiver;

  @TempDir Path tmp;

  @BeforeAll
  static void startReceiver() throws IOException {
    receiver = new Receiver();
  }

  @AfterAll
  static void stopReceiver() {
    if (receiver != null) {
      receiver.close();
    }
  }

  static Path keyFile() {
    try {
      Path file = Files.createTempFile("horae-apply-test", ".key");
      file.toFile().deleteOnExit();
      Files.writeString(file, ClusterKey.generate(new SecureRandom()));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Two jobs of namespace {@code ns}; the first one's cron is {@code cron}. */
  static String twoJobs(String ns, String cron) {
    return """
        namespace: %s
        name: nightly
        schedule: {cron: {expression: "%s"}}
        target:
          url: http://127.0.0.1:9/nightly
          headers: [{name: X-Team, value: pay}]
        labels: {team: pay}
        ---
        - namespace: %s
          name: once
          schedule: {atMs: 4102444800000}
          target: {url: http://127.0.0.1:9/once, method: put}
          retry: {maxAttempts: 3}
        """
        .formatted(ns, cron, ns);
  }

  private Result apply(String yaml, String... flags) throws IOException {
    Path file = Files.createTempFile(tmp, "jobs", ".yaml");
    Files.writeString(file, yaml);
    List<String> args = new ArrayList<>(List.of("apply", "-f", file.toString()));
    args.addAll(Arrays.asList(flags));
    return CLUSTER.horae(args.toArray(String[]::new));
  }

  private static void assertOk(Result r) {
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void applyCreatesTheJobsAndASecondApplyOfTheSameFileOrOfTheListedJobsChangesNothing()
      throws IOException {
    Result first = apply(twoJobs("create", "0 3 1 1 *"));
    Result second = apply(twoJobs("create", "0 3 1 1 *"));
    Result exported = CLUSTER.horae("-n", "create", "-o", "yaml", "job", "ls", "--all");
    Result third = apply(exported.out(), "--prune");

    assertOk(first);
    assertThat(first.out())
        .contains(
            "create create/nightly",
            "create create/once",
            "applied: 2 created, 0 updated, 0 deleted, 0 unchanged");
    assertThat(CLUSTER.storedJob("create", "once").getTarget().getMethod()).isEqualTo("PUT");
    assertOk(second);
    assertThat(second.out())
        .isEqualTo(
            "unchanged: 2"
                + System.lineSeparator()
                + "no changes: 2 jobs unchanged"
                + System.lineSeparator());
    assertOk(exported);
    assertThat(exported.out()).startsWith("---").contains("name: nightly", "name: once");
    assertOk(third);
    assertThat(third.out()).contains("no changes: 2 jobs unchanged");
    assertThat(CLUSTER.storedJob("create", "nightly").getVersion()).isEqualTo(1);
  }

  @Test
  void aChangedCronIsAnUpdateOfTheScheduleAloneAtTheVersionRead() throws IOException {
    assertOk(apply(twoJobs("cron", "0 3 1 1 *")));
    Job before = CLUSTER.storedJob("cron", "nightly");

    Result changed = apply(twoJobs("cron", "0 4 1 1 *"));

    assertOk(changed);
    assertThat(changed.out().lines())
        .containsExactly(
            "update cron/nightly (version 1): schedule",
            "  - schedule.cron.expression: 0 3 1 1 *",
            "  + schedule.cron.expression: 0 4 1 1 *",
            "unchanged: 1",
            "applied: 0 created, 1 updated, 0 deleted, 1 unchanged");
    Job after = CLUSTER.storedJob("cron", "nightly");
    assertThat(after.getVersion()).isEqualTo(2);
    assertThat(after.getSchedule().getCron().getExpression()).isEqualTo("0 4 1 1 *");
    assertThat(after.getTarget()).isEqualTo(before.getTarget());
    assertThat(after.getLabelsMap()).isEqualTo(before.getLabelsMap());
    assertThat(CLUSTER.storedJob("cron", "once").getVersion()).isEqualTo(1);
  }

  @Test
  void fieldsAddedToTheProtoLaterAreReadComparedAndUpdatedWithoutCodeInApply() throws IOException {
    String file =
        twoJobs("later", "0 3 1 1 *")
            .replace(
                "labels: {team: pay}",
                "labels: {team: pay}\nmisfirePolicy: MISFIRE_POLICY_SKIP\nmisfireGraceMs: 60000");
    assertOk(apply(file));

    Result again = apply(file);
    Result changed = apply(file.replace("MISFIRE_POLICY_SKIP", "MISFIRE_POLICY_FIRE_ALL"));

    assertThat(again.out()).contains("no changes: 2 jobs unchanged");
    assertOk(changed);
    assertThat(changed.out())
        .contains(
            "update later/nightly (version 1): misfire_policy",
            "  - misfirePolicy: MISFIRE_POLICY_SKIP",
            "  + misfirePolicy: MISFIRE_POLICY_FIRE_ALL");
    Job stored = CLUSTER.storedJob("later", "nightly");
    assertThat(stored.getMisfirePolicyValue()).isEqualTo(2);
    assertThat(stored.getMisfireGraceMs()).isEqualTo(60_000);
    assertThat(CLUSTER.horae("-n", "later", "-o", "yaml", "job", "get", "nightly").out())
        .contains("misfirePolicy: MISFIRE_POLICY_FIRE_ALL", "misfireGraceMs: 60000");
  }

  @Test
  void aDryRunPrintsTheDiffAndChangesNothing() throws IOException {
    assertOk(apply(twoJobs("dry", "0 3 1 1 *")));
    String edited =
        twoJobs("dry", "0 3 1 1 *")
                .replace("X-Team, value: pay", "X-Team, value: billing")
                .replace("maxAttempts: 3", "maxAttempts: 5")
            + "---\n{namespace: dry, name: added, schedule: {atMs: 4102444800000}, target: {url: 'http://127.0.0.1:9/a'}}\n";

    Result dry = apply(edited, "--dry-run", "--prune");

    assertOk(dry);
    assertThat(dry.out().lines())
        .containsExactly(
            "create dry/added",
            "update dry/nightly (version 1): target",
            "  - target.headers[0].value: pay",
            "  + target.headers[0].value: billing",
            "update dry/once (version 1): retry",
            "  - retry.maxAttempts: 3",
            "  + retry.maxAttempts: 5",
            "unchanged: 0",
            "dry run, nothing was changed: 1 to create, 2 to update, 0 to delete, 0 unchanged");
    assertThat(CLUSTER.storedJob("dry", "nightly").getVersion()).isEqualTo(1);
    assertThat(CLUSTER.storedJob("dry", "once").getRetry().getMaxAttempts()).isEqualTo(3);
    Result ls = CLUSTER.horae("-n", "dry", "job", "ls");
    assertThat(ls.out()).doesNotContain("added");
  }

  @Test
  void pruneDeletesTheJobsOfTheNamespaceThatTheFileDoesNotName() throws IOException {
    assertOk(apply(twoJobs("prune", "0 3 1 1 *")));
    assertOk(
        CLUSTER.horae(
            "-n",
            "elsewhere",
            "job",
            "create",
            "untouched",
            "--url",
            "http://127.0.0.1:9/u",
            "--at",
            "2099-01-01T00:00:00Z"));
    String onlyNightly = twoJobs("prune", "0 3 1 1 *").split("---")[0];

    Result kept = apply(onlyNightly);
    Result pruned = apply(onlyNightly, "--prune");

    assertOk(kept);
    assertThat(kept.out()).contains("no changes: 1 jobs unchanged");
    assertOk(pruned);
    assertThat(pruned.out().lines())
        .containsExactly(
            "delete prune/once",
            "unchanged: 1",
            "applied: 0 created, 0 updated, 1 deleted, 1 unchanged");
    assertThat(CLUSTER.horae("-n", "prune", "job", "get", "once").err()).contains("not found");
    assertOk(CLUSTER.horae("-n", "elsewhere", "job", "get", "untouched"));
  }

  @Test
  void aJobPrintedAsYamlAppliesBackUnchangedAndAnEditedCopyKeepsItsSecrets() throws IOException {
    Path secretFile = tmp.resolve("signing");
    Files.writeString(secretFile, SIGNING);
    assertOk(
        CLUSTER.horae(
            "-n",
            "yaml",
            "job",
            "create",
            "signed",
            "--url",
            "http://127.0.0.1:9/s?sig=abc",
            "--every",
            "1h",
            "--signing-secret",
            "@" + secretFile,
            "--header",
            "Authorization: " + TOKEN,
            "--secret-header",
            "X-Custom: custom-value",
            "--header",
            "X-Plain: plain",
            "--body",
            "{\"hi\":1}"));

    Result yaml = CLUSTER.horae("-n", "yaml", "-o", "yaml", "job", "get", "signed");
    Result roundTrip = apply(yaml.out());

    assertOk(yaml);
    assertThat(yaml.out())
        .contains(
            "# signingSecret: set",
            "name: signed",
            "url: http://127.0.0.1:9/s?sig=abc",
            "bodyText: '{\"hi\":1}'",
            "secret: true",
            "intervalMs: 3600000",
            "anchorMs: ")
        .doesNotContain(TOKEN)
        .doesNotContain("custom-value")
        .doesNotContain("whsec_")
        .doesNotContain("version")
        .doesNotContain("nextFireMs");
    assertOk(roundTrip);
    assertThat(roundTrip.out()).contains("no changes: 1 jobs unchanged");

    // The same file, pointed at a receiver: the target is replaced, the secrets stay.
    String path = "/yaml-" + System.nanoTime();
    Result edited = apply(yaml.out().replace("http://127.0.0.1:9/s?sig=abc", receiver.url(path)));
    assertOk(edited);
    assertThat(edited.out()).contains("update yaml/signed (version 1): target");
    Job stored = CLUSTER.storedJob("yaml", "signed");
    assertThat(stored.getHasSigningSecret()).isTrue();
    try (HoraeClient client = client()) {
      client.trigger("yaml", "signed");
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> receiver.deliveries().stream().anyMatch(d -> d.path().equals(path)));
    assertThat(receiver.requests())
        .anySatisfy(
            r -> {
              assertThat(r.header("Authorization")).isEqualTo(TOKEN);
              assertThat(r.header("X-Custom")).isEqualTo("custom-value");
              assertThat(r.header("webhook-signature")).isNotEmpty();
            });
  }

  @Test
  void aMalformedFileChangesNothingAndNamesTheFileDocumentLineAndField() throws IOException {
    String file =
        twoJobs("malformed", "0 3 1 1 *")
            + "---\nnamespace: malformed\nname: bad\nschedule: {every: {intervalMs: soon}}\n";

    Result r = apply(file);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("1 problem in the job file; nothing was changed:")
        .contains(", document 3, line 17: schedule.every.intervalMs: ");
    assertThat(CLUSTER.horae("-n", "malformed", "job", "ls").out().lines()).hasSize(1);
  }

  @Test
  void aJobTheServerRefusesCreatesNoneOfTheNewJobs() throws IOException {
    String file = twoJobs("refused", "0 3 1 1 *").replace("0 3 1 1 *", "not a cron");

    Result r = apply(file);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("create of 2 jobs failed: invalid argument: ")
        .contains("document 1, line 1 (refused/nightly): schedule.cron.expression");
    assertThat(CLUSTER.horae("-n", "refused", "job", "ls").out().lines()).hasSize(1);
  }

  @Test
  void aJobChangedAfterApplyReadItIsReportedAndNotOverwritten() throws IOException {
    assertOk(apply(twoJobs("stale", "0 3 1 1 *")));
    try (HoraeClient client = client()) {
      List<JobFile.Entry> entries =
          JobFile.parse("jobs.yaml", twoJobs("stale", "0 4 1 1 *"), "default");
      Plan plan = Planner.plan(entries, Applier.read(client, Set.of("stale")), false, false);
      assertOk(apply(twoJobs("stale", "0 5 1 1 *")));

      ApplyException e =
          catchThrowableOfType(ApplyException.class, () -> new Applier(client).carryOut(plan));

      assertThat(e.getMessage())
          .contains(
              "update of jobs.yaml, document 1, line 1 (stale/nightly) failed: failed precondition: job stale/nightly is at version 2, not 1")
          .contains("the job changed after apply read it at version 1; run apply again");
    }
    assertThat(CLUSTER.storedJob("stale", "nightly").getSchedule().getCron().getExpression())
        .isEqualTo("0 5 1 1 *");
  }

  @Test
  void yamlOutputIsRefusedByCommandsThatDoNotPrintIt() {
    Result r = CLUSTER.horae("-o", "yaml", "exec", "ls");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("yaml is only for job get and job ls");
  }

  private static HoraeClient client() {
    ClusterCerts certs = CLUSTER.cluster().certs();
    return HoraeClient.builder()
        .endpoints(CLUSTER.cluster().endpoints())
        .trustCertificates(CLUSTER.cluster().caFile())
        .clientCertificate(certs.cert(ClusterCerts.ADMIN), certs.key(ClusterCerts.ADMIN))
        .build();
  }
}
