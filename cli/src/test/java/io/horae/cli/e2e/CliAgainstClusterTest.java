package io.horae.cli.e2e;

import static io.horae.cli.Cli.horaeAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.cli.Cli;
import io.horae.cli.Cli.Result;
import io.horae.cli.common.Context;
import io.horae.cli.common.ContextFile;
import io.horae.server.cluster.MiniCluster;
import io.horae.server.cluster.Receiver;
import io.horae.server.tls.ClusterCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The horae command against a real 3-node cluster: create, get, ls and rm do what they say, a
 * created job is delivered, and mistakes give one clear line and a non-zero exit.
 */
class CliAgainstClusterTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;
  static String endpoints;

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    cluster = MiniCluster.start(tmp, 3, Map.of());
    endpoints = cluster.endpoints();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  private static Result run(String... args) {
    return horaeAt(cluster, endpoints, args);
  }

  @Test
  void createGetListAndRemoveAJobAndSeeItDelivered() {
    Result created =
        run(
            "job",
            "create",
            "hello",
            "--url",
            receiver.url("/hooks/hello"),
            "--in",
            "2s",
            "--body",
            "{\"hi\":1}");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).contains("hello");

    Result got = run("-o", "json", "job", "get", "hello");
    assertThat(got.exitCode()).as(got.err()).isZero();
    assertThat(got.out()).contains("\"name\": \"hello\"");

    Result listed = run("job", "ls");
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out()).contains("hello").contains("NAME");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> receiver.deliveries().stream().anyMatch(d -> d.path().equals("/hooks/hello")));
    assertThat(
            receiver.deliveries().stream()
                .filter(d -> d.path().equals("/hooks/hello"))
                .findFirst()
                .orElseThrow()
                .body())
        .asString()
        .isEqualTo("{\"hi\":1}");

    Result removed = run("job", "rm", "hello");
    assertThat(removed.exitCode()).as(removed.err()).isZero();
    Result gone = run("job", "get", "hello");
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err()).contains("not found");
  }

  @Test
  void aBadCronIsRefusedByTheServerWithOneLineNamingTheField() {
    Result r = run("job", "create", "badcron", "--url", receiver.url("/x"), "--cron", "61 * * * *");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).contains("schedule.cron.expression");
    assertThat(run("job", "get", "badcron").exitCode()).isEqualTo(1);
  }

  @Test
  void anUnknownFlagIsAUsageErrorNamingIt() {
    Result r = run("job", "create", "x", "--url", receiver.url("/x"), "--in", "5s", "--bogus");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--bogus");
  }

  @Test
  void clusterStatusListsTheThreeNodesAndTheLeader() {
    Result r = run("cluster", "status");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("n1").contains("n2").contains("n3").contains("LEADER");
  }

  @Test
  void aContextAloneReachesTheClusterOverTlsAsHoraeDevWritesIt(@TempDir Path home)
      throws Exception {
    Path file = home.resolve("config");
    ClusterCerts certs = cluster.certs();
    ContextFile.load(file)
        .with(
            new Context(
                "dev",
                endpoints,
                certs.caCert(),
                certs.cert(ClusterCerts.ADMIN),
                certs.key(ClusterCerts.ADMIN),
                null))
        .use("dev")
        .save();

    Result r = Cli.horae("--horaeconfig", file.toString(), "cluster", "status");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains("LEADER");
  }

  @Test
  void aContextWithTheAdminsTokenFileReachesTheClusterAndNoOutputHoldsTheToken(@TempDir Path home)
      throws Exception {
    Path file = home.resolve("config");
    ClusterCerts certs = cluster.certs();
    ContextFile.load(file)
        .with(
            new Context("ci", endpoints, certs.caCert(), null, null, null)
                .withTokenFile(certs.adminToken()))
        .use("ci")
        .save();
    String token = cluster.adminToken();

    Result status = Cli.horae("--horaeconfig", file.toString(), "cluster", "status");
    Result show = Cli.horae("--horaeconfig", file.toString(), "context", "show");
    Result noToken =
        Cli.horae(
            "--horaeconfig",
            file.toString(),
            "--token-file",
            home.resolve("none").toString(),
            "cluster",
            "status");

    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("LEADER");
    assertThat(show.out()).contains("token:      set, from the file " + certs.adminToken());
    assertThat(noToken.exitCode()).as("the flag wins over the context").isEqualTo(1);
    for (Result r : List.of(status, show, noToken)) {
      assertThat(r.out() + r.err()).doesNotContain(token);
    }
  }

  @Test
  void withoutACredentialTheClusterAnswersUnauthenticated() {
    Result r =
        Cli.horae("--endpoints", endpoints, "--ca", cluster.caFile().toString(), "job", "ls");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("unauthenticated");
  }

  @Test
  void aPlaintextCliIsRefusedByATlsCluster() {
    Result r = Cli.horae("--endpoints", endpoints, "--plaintext", "cluster", "status");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("cannot reach any endpoint");
  }
}
