package io.horae.client;

import static io.horae.client.Loopback.deadEndpoint;
import static io.horae.client.Loopback.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.horae.api.v1.Job;
import io.horae.server.cluster.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client-side failover against a real cluster: a call that meets UNAVAILABLE moves to the next
 * endpoint, at most once per endpoint, and nothing else makes it move. "Down" is a loopback port
 * nobody listens on, a stopped node, or a connection cut after the node answered; "hung" is a
 * listener that accepts and never answers.
 */
class HoraeClientFailoverTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static String live;
  static String other;

  @BeforeAll
  static void start() throws Exception {
    // Plaintext on purpose: the lossy relay reads HTTP/2 frames, which TLS would hide from it.
    cluster = MiniCluster.start(tmp, 3, Map.of("tls.enabled", "false"));
    live = cluster.endpoint("n1");
    other = cluster.endpoint("n2");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** The admin, by its bearer token (the cluster is plaintext), through the given endpoints. */
  private static HoraeClient client(Duration deadline, String... endpoints) {
    return AdminClients.of(cluster).endpoints(List.of(endpoints)).deadline(deadline).build();
  }

  @Test
  void aCallFailsOverToTheNextEndpointWhenTheFirstRefusesConnections() {
    try (HoraeClient client = client(Duration.ofSeconds(10), deadEndpoint(), live)) {
      Job created = client.create(job("refused-first"));

      assertThat(client.get("", "refused-first")).isEqualTo(created);
    }
  }

  @Test
  void aStoppedNodeIsSkippedAndTheCallSucceedsOnTheNextNode() throws Exception {
    String stopped = cluster.follower().id();
    String next =
        cluster.ids().stream().filter(id -> !id.equals(stopped)).findFirst().orElseThrow();
    cluster.stopNode(stopped);
    try (HoraeClient client =
        client(Duration.ofSeconds(10), cluster.endpoint(stopped), cluster.endpoint(next))) {
      Job created = client.create(job("stopped-first"));

      assertThat(client.get("", "stopped-first")).isEqualTo(created);
      assertThat(client.delete("", "stopped-first")).isEqualTo(1);
    } finally {
      cluster.startNode(stopped);
      cluster.awaitReady();
    }
  }

  @Test
  void aCreateRepeatedOnTheNextEndpointCarriesTheSameRequestIdSoItIsStoredOnce() throws Exception {
    // The first node stores the job, but the connection is cut before its answer arrives. Repeated
    // with a new request id on the next node, the create would be ALREADY_EXISTS; with the same id
    // the cluster answers with the job the first attempt stored.
    try (Loopback.AnswerLoss dropper = Loopback.AnswerLoss.cutting(live);
        HoraeClient client = client(Duration.ofSeconds(10), dropper.endpoint(), other)) {
      Job created = client.create(job("answer-lost"));

      assertThat(created.getName()).isEqualTo("answer-lost");
      assertThat(created.getVersion()).isEqualTo(1);
      assertThat(client.get("", "answer-lost")).isEqualTo(created);
    }
  }

  @Test
  void theEndpointThatAnsweredStaysCurrentForLaterCalls() throws Exception {
    String first = deadEndpoint();
    try (HoraeClient client = client(Duration.ofSeconds(1), first, live)) {
      client.create(job("sticky"));
      // The first endpoint now connects but never answers: once the client's channel there has
      // reconnected (gRPC retries after about a second), a call sent there again would run into its
      // deadline.
      int port = Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
      try (Loopback.AnswerLoss hung = Loopback.AnswerLoss.withholding(port, other)) {
        await()
            .during(Duration.ofMillis(2500))
            .atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> client.get("", "sticky").getName().equals("sticky"));
      }
    }
  }

  @Test
  void whenEveryEndpointIsDownEachIsTriedOnceAndTheCallIsUnavailable() {
    // Cycling through the endpoints until the deadline would end in DEADLINE_EXCEEDED instead.
    try (HoraeClient client =
        client(Duration.ofSeconds(10), deadEndpoint(), deadEndpoint(), deadEndpoint())) {
      assertThatThrownBy(() -> client.get("", "a"))
          .isInstanceOf(UnavailableException.class)
          .satisfies(
              e -> assertThat(((HoraeException) e).code()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void aRefusedConnectionAloneGivesUnavailableWithTheTransportCause() {
    try (HoraeClient client = client(Duration.ofSeconds(10), deadEndpoint())) {
      assertThatThrownBy(client::clusterStatus)
          .isInstanceOf(UnavailableException.class)
          .hasCauseInstanceOf(io.grpc.StatusRuntimeException.class)
          .satisfies(
              e -> assertThat(((HoraeException) e).code()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void errorsOtherThanUnavailableAreNotRetriedElsewhere() throws Exception {
    // A retry would reach the hung endpoint and end in DEADLINE_EXCEEDED instead of NOT_FOUND.
    try (Loopback.Silent hung = new Loopback.Silent();
        HoraeClient client = client(Duration.ofSeconds(2), live, hung.endpoint())) {
      assertThatThrownBy(() -> client.get("", "nowhere")).isInstanceOf(NotFoundException.class);
      assertThatThrownBy(() -> client.create(job("has space")))
          .isInstanceOf(InvalidArgumentException.class);
    }
  }

  @Test
  void aHungEndpointRunsTheCallIntoItsDeadlineWithoutFailover() throws Exception {
    try (Loopback.Silent hung = new Loopback.Silent();
        HoraeClient client = client(Duration.ofMillis(500), hung.endpoint(), live)) {
      long start = System.nanoTime();

      assertThatThrownBy(() -> client.get("", "a"))
          .isExactlyInstanceOf(HoraeException.class)
          .satisfies(
              e ->
                  assertThat(((HoraeException) e).code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }
  }
}
