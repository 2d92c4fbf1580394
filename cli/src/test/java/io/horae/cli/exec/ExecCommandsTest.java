package io.horae.cli.exec;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.ListExecutionsResponse;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code exec ls}, {@code get}, {@code cancel} and {@code watch} against a real one-node cluster,
 * and their usage errors. Jobs are due in 2099 at a closed loopback port; none fires.
 */
class ExecCommandsTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(1, Map.of());

  private static final String NOWHERE = "--endpoints=127.0.0.1:1";

  @BeforeAll
  static void createJobsA0ToA2InNamespaceExecs() {
    for (int i = 0; i < 3; i++) {
      create("execs", "a" + i, "2099-11-25T10:0" + i + ":00Z");
    }
  }

  @Test
  void lsPrintsATableOfTheNamespacesExecutionsInIdOrder() {
    Result r = CLUSTER.horae("-n", "execs", "exec", "ls");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().lines()).hasSize(4);
    assertThat(r.out().lines().findFirst().orElseThrow())
        .startsWith("ID")
        .contains("STATUS", "SCHEDULED", "ATTEMPTS", "OWNER", "LAST RESULT");
    assertThat(r.out())
        .contains("execs/a0@", "execs/a1@", "execs/a2@", "PENDING", "2099-11-25T10:01:00Z");
  }

  @Test
  void lsFiltersByJobStatusAndTimeAndSaysWhenTheLimitCutTheList() {
    Result byJob = CLUSTER.horae("-n", "execs", "exec", "ls", "--job", "a1");
    assertThat(byJob.out().lines().skip(1)).singleElement().asString().startsWith("execs/a1@");

    Result byTime =
        CLUSTER.horae(
            "-n",
            "execs",
            "exec",
            "ls",
            "--from",
            "2099-11-25T10:01:00Z",
            "--to",
            "2099-11-25T10:02:00Z");
    assertThat(byTime.out().lines().skip(1)).singleElement().asString().startsWith("execs/a1@");

    Result byStatus = CLUSTER.horae("-n", "execs", "exec", "ls", "--status", "cancelled,dead");
    assertThat(byStatus.exitCode()).as(byStatus.err()).isZero();
    assertThat(byStatus.out().lines()).hasSize(1);

    Result limited = CLUSTER.horae("-n", "execs", "exec", "ls", "--limit", "2");
    assertThat(limited.out().lines()).hasSize(3);
    assertThat(limited.err()).contains("more executions match");
  }

  @Test
  void cancelPrintsTheCancelledExecutionAndGetShowsItAsJson() throws Exception {
    create("default", "to-cancel", "2099-11-25T10:00:00Z");
    String id =
        "default/to-cancel@" + java.time.Instant.parse("2099-11-25T10:00:00Z").toEpochMilli();

    Result cancel = CLUSTER.horae("exec", "cancel", id);
    Result again = CLUSTER.horae("exec", "cancel", id);
    Result json = CLUSTER.horae("-o", "json", "exec", "get", id);

    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    assertThat(cancel.out()).contains(id, "CANCELLED");
    assertThat(again.exitCode()).as("a repeated cancel succeeds").isZero();
    Execution.Builder parsed = Execution.newBuilder();
    JsonFormat.parser().merge(json.out(), parsed);
    assertThat(parsed.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    assertThat(parsed.getShardOwner()).isEqualTo("n1");
    Result listed =
        CLUSTER.horae("-o", "json", "exec", "ls", "--status", "cancelled", "--job", "to-cancel");
    ListExecutionsResponse.Builder page = ListExecutionsResponse.newBuilder();
    JsonFormat.parser().merge(listed.out(), page);
    assertThat(page.getExecutionsList()).extracting(Execution::getId).containsExactly(id);
  }

  @Test
  void getOfAMissingExecutionPrintsOneLineAndExits1() {
    Result r = CLUSTER.horae("exec", "get", "default/missing@1");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "horae: not found: execution default/missing@1 not found" + System.lineSeparator());
  }

  @Test
  void aMalformedIdIsReportedNamingTheField() {
    Result r = CLUSTER.horae("exec", "cancel", "not-an-id");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "horae: invalid argument: id: must be <namespace>/<job name>@<scheduled epoch millis>");
  }

  @Test
  void watchPrintsTheChangesOfItsJobAndStopsAfterCount() {
    CompletableFuture<Result> watching =
        CompletableFuture.supplyAsync(
            () -> CLUSTER.horae("exec", "watch", "--job", "watched", "--count", "2"));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                CLUSTER.cluster().node("n1").registry().get("horae.watch.streams").gauge().value()
                    >= 1);

    create("default", "watched", "2099-11-25T10:00:00Z");
    String id = "default/watched@" + java.time.Instant.parse("2099-11-25T10:00:00Z").toEpochMilli();
    assertThat(CLUSTER.horae("exec", "cancel", id).exitCode()).isZero();

    Result r = watching.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).startsWith("watching default/watched after index ");
    assertThat(r.out().lines())
        .hasSize(2)
        .satisfiesExactly(
            created -> assertThat(created).contains("CREATED", id, "PENDING"),
            cancelled -> assertThat(cancelled).contains("UPDATED", id, "CANCELLED"));
  }

  @Test
  void badFlagsExitWith2NamingTheFlag() {
    assertThat(usage("exec", "ls", "--status", "bogus", NOWHERE))
        .contains("--status")
        .contains("pending, claimed");
    assertThat(usage("exec", "ls", "--limit", "0", NOWHERE)).contains("'--limit'");
    assertThat(usage("exec", "ls", "--from", "yesterday", NOWHERE)).contains("--from");
    assertThat(
            usage(
                "exec",
                "ls",
                "--from",
                "2099-01-02T00:00:00Z",
                "--to",
                "2099-01-01T00:00:00Z",
                NOWHERE))
        .contains("'--to'");
    assertThat(usage("exec", "watch", "--count", "-1", NOWHERE)).contains("'--count'");
    assertThat(usage("exec", "get", NOWHERE)).contains("ID");
  }

  private static String usage(String... args) {
    Result r = horae(args);
    assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
    return r.err().lines().findFirst().orElse("");
  }

  private static void create(String namespace, String name, String at) {
    Result r =
        CLUSTER.horae(
            "-n",
            namespace,
            "job",
            "create",
            name,
            "--url",
            "http://127.0.0.1:9/" + name,
            "--at",
            at);
    assertThat(r.exitCode()).as(r.err()).isZero();
  }
}
