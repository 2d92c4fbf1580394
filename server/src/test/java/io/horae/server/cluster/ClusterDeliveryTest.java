package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Every;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.node.HoraeNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on a real 3-node cluster in one JVM: creates through any node, replication, firing
 * by each shard owner, delivery to a real HTTP receiver, and results through Raft.
 */
class ClusterDeliveryTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    cluster = MiniCluster.start(tmp, 3, Map.of());
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster, receiver);
  }

  @Test
  void threeHundredOneShotJobsAreEachDeliveredOnceNotEarlyWithTheirExecutionIdByEveryNode()
      throws Exception {
    // At least 3 s ahead so that every create commits before its first due time.
    long start = System.currentTimeMillis() + 3_000;
    Map<String, Long> dueByName = new java.util.HashMap<>();
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      String name = "once-" + i;
      long at = start + (i % 100) * 20L;
      dueByName.put(name, at);
      jobs.add(job(name, Schedule.newBuilder().setAtMs(at).build(), "/once"));
    }
    // Round-robin over the nodes: followers forward the write to the leader.
    Creates.all(cluster.ids().stream().map(cluster::channel).toList(), jobs);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                receiver.deliveries().stream().filter(d -> d.path().equals("/once")).count()
                    >= 300);
    // Every job completes: its result was committed, so a late second delivery cannot come from a
    // lost result.
    JobServiceGrpc.JobServiceBlockingStub reader =
        JobServiceGrpc.newBlockingStub(cluster.channel(cluster.ids().get(0)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                dueByName.keySet().stream()
                    .allMatch(n -> get(reader, n).getState() == JobState.JOB_STATE_COMPLETED));

    List<Receiver.Delivery> once =
        receiver.deliveries().stream().filter(d -> d.path().equals("/once")).toList();
    assertThat(once).hasSize(300);
    Map<String, Receiver.Delivery> byKey =
        once.stream()
            .collect(Collectors.toMap(Receiver.Delivery::idempotencyKey, Function.identity()));
    assertThat(byKey).hasSize(300);
    for (Map.Entry<String, Long> e : dueByName.entrySet()) {
      String key = "default/" + e.getKey() + "@" + e.getValue();
      assertThat(byKey).containsKey(key);
      assertThat(byKey.get(key).receivedMs())
          .as("delivery of %s", key)
          .isGreaterThanOrEqualTo(e.getValue());
      assertThat(byKey.get(key).userAgent()).startsWith("horae/");
      assertThat(byKey.get(key).attempt()).isEqualTo("1");
    }
    for (HoraeNode node : cluster.nodes()) {
      double delivered =
          node.registry().get("horae.deliveries").tag("outcome", "succeeded").counter().count();
      assertThat(delivered).as("deliveries by %s", node.id()).isGreaterThan(0);
    }
  }

  @Test
  void anIntervalJobFiresOnItsAnchorGridWhateverTheDeliveryTimes() {
    JobServiceGrpc.JobServiceBlockingStub stub =
        JobServiceGrpc.newBlockingStub(cluster.channel("n2"));
    long anchor = System.currentTimeMillis() + 1_500;
    stub.createJob(
        CreateJobRequest.newBuilder()
            .setJob(
                job(
                    "tick",
                    Schedule.newBuilder()
                        .setEvery(Every.newBuilder().setIntervalMs(1_000).setAnchorMs(anchor))
                        .build(),
                    "/tick"))
            .build());

    await().atMost(Duration.ofSeconds(30)).until(() -> ticks().size() >= 5);

    List<Receiver.Delivery> ticks = ticks();
    Set<Long> scheduled =
        ticks.stream()
            .map(
                d ->
                    Long.parseLong(
                        d.idempotencyKey().substring(d.idempotencyKey().indexOf('@') + 1)))
            .collect(Collectors.toSet());
    assertThat(scheduled).hasSameSizeAs(ticks);
    List<Long> sorted = scheduled.stream().sorted().toList();
    for (int k = 0; k < 5; k++) {
      assertThat(sorted.get(k)).isEqualTo(anchor + k * 1_000L);
    }
    for (Receiver.Delivery d : ticks) {
      long at = Long.parseLong(d.idempotencyKey().substring(d.idempotencyKey().indexOf('@') + 1));
      assertThat(d.receivedMs()).isGreaterThanOrEqualTo(at);
    }
  }

  @Test
  void everyNodeIsReadyAndExportsTheOperatorMetrics() throws Exception {
    HttpClient http = cluster.adminHttp();
    for (String id : cluster.ids()) {
      String admin = cluster.adminUrl(id);
      // Readiness follows the lease, which a loaded machine can let lapse for a moment: a node
      // must be ready within the deadline, not at the first look.
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .untilAsserted(
              () -> {
                HttpResponse<String> ready =
                    http.send(
                        HttpRequest.newBuilder(URI.create(admin + "/health/ready"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as("readiness of %s", id).isEqualTo(200);
                HealthCheckResponse serving =
                    HealthGrpc.newBlockingStub(cluster.channel(id))
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .check(
                            HealthCheckRequest.newBuilder()
                                .setService(JobServiceGrpc.SERVICE_NAME)
                                .build());
                assertThat(serving.getStatus())
                    .as("gRPC health of %s", id)
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
              });
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(admin + "/metrics"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .as("metrics of %s", id)
          .contains("horae_deliveries_total{node=\"" + id + "\",outcome=\"succeeded\"}")
          .contains("horae_deliveries_total{node=\"" + id + "\",outcome=\"http_error\"}")
          .contains("horae_delivery_lateness_seconds_bucket{node=\"" + id + "\",le=")
          .contains("horae_raft_applied_index{node=\"" + id + "\"}")
          .contains("horae_exec_window_size{node=\"" + id + "\"}")
          .contains("horae_shards_owned{node=\"" + id + "\"}");
    }
  }

  private static List<Receiver.Delivery> ticks() {
    return receiver.deliveries().stream().filter(d -> d.path().equals("/tick")).toList();
  }

  static Job job(String name, Schedule schedule, String path) {
    return jobTo(receiver.url(path), name, schedule);
  }

  static Job jobTo(String url, String name, Schedule schedule) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(schedule)
        .setTarget(
            Target.newBuilder()
                .setUrl(url)
                .setBody(ByteString.copyFromUtf8("{\"n\":\"" + name + "\"}")))
        .build();
  }

  private static Job get(JobServiceGrpc.JobServiceBlockingStub stub, String name) {
    return stub.getJob(GetJobRequest.newBuilder().setName(name).build());
  }
}
