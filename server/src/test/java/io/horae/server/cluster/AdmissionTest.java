package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.ShardMap;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 11, item 4): past capacity the excess is refused early with RESOURCE_EXHAUSTED, and
 * what was accepted is delivered. One owner falling behind its due work makes every node shed
 * creates, naming it, and the cluster takes creates again by itself once it caught up.
 *
 * <p>Method: three nodes with one dispatch slot each; the receiver holds the requests of a few jobs
 * whose shard one follower (the victim) owns, so that the victim's next due executions wait for its
 * only slot. Creates of jobs due in a week go through every node until each refuses one; the held
 * requests are then let go.
 */
class AdmissionTest {
  static final int HELD_JOBS = 3;
  static final long HOLD_MAX_MS = 30_000;
  static final Duration WAIT_MAX = Duration.ofSeconds(20);

  @TempDir Path tmp;

  @Test
  void anOwnerBehindItsDueWorkMakesEveryNodeShedCreatesUntilItCatchesUp() throws Exception {
    Map<String, String> config =
        Map.of(
            "exec.dispatchConcurrency", "1",
            "exec.deliveryTimeout", "30s",
            "api.admissionLateness", "1s");
    try (Receiver receiver = new Receiver();
        MiniCluster cluster = MiniCluster.start(tmp, 3, config)) {
      cluster.awaitLeases();
      HoraeNode victim = cluster.follower();
      ShardMap map = cluster.leader().shardMap().orElseThrow();
      CountDownLatch gate = new CountDownLatch(1);
      receiver.hold("/held", gate, HOLD_MAX_MS);
      AtomicInteger seq = new AtomicInteger();
      // On time so far: creates pass.
      for (String via : cluster.ids()) {
        create(cluster, via, "later-" + seq.getAndIncrement());
      }

      long dueMs = System.currentTimeMillis() + 500;
      for (String name : OrderlyStopTest.namesOwnedBy(map, victim.id(), HELD_JOBS)) {
        stub(cluster, cluster.leader().id())
            .createJob(
                CreateJobRequest.newBuilder()
                    .setJob(
                        ClusterDeliveryTest.jobTo(
                            receiver.url("/held"),
                            name,
                            Schedule.newBuilder().setAtMs(dueMs).build()))
                    .build());
      }

      // The first held request takes the victim's only slot; the others wait behind it.
      List<String> shedNames = new java.util.ArrayList<>();
      for (String via : cluster.ids()) {
        StatusRuntimeException shed =
            await()
                .atMost(WAIT_MAX)
                .pollInterval(Duration.ofMillis(100))
                .until(
                    () -> {
                      String name = "shed-" + seq.getAndIncrement();
                      StatusRuntimeException e = refusal(cluster, via, name);
                      if (e != null) {
                        shedNames.add(name);
                      }
                      return e;
                    },
                    e -> e != null);
        assertThat(shed.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        ErrorInfo info = errorInfo(shed);
        assertThat(info.getReason()).isEqualTo("CLUSTER_BEHIND");
        assertThat(info.getMetadataMap())
            .containsEntry("node", victim.id())
            .containsEntry("done", "no");
        assertThat(Long.parseLong(info.getMetadataMap().get("behind_ms"))).isGreaterThan(500);
        assertThat(shed.getStatus().getDescription())
            .contains(victim.id(), "api.admissionLateness");
      }
      assertThat(cluster.nodes())
          .filteredOn(n -> !n.id().equals(victim.id()))
          .as("the other owners are on time")
          .allSatisfy(n -> assertThat(n.executor().behindMs()).isZero());
      // A CreateJobs call is shed whole, and nothing of a shed call was written.
      String batchName = "shed-batch-" + seq.getAndIncrement();
      assertThatThrownBy(
              () ->
                  stub(cluster, victim.id())
                      .createJobs(
                          CreateJobsRequest.newBuilder()
                              .addJobs(ConcurrentCreatesTest.request(batchName))
                              .build()))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
      shedNames.add(batchName);
      for (String name : shedNames) {
        assertThatThrownBy(
                () ->
                    stub(cluster, cluster.leader().id())
                        .getJob(GetJobRequest.newBuilder().setName(name).build()))
            .as("shed create %s", name)
            .isInstanceOfSatisfying(
                StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
      }

      gate.countDown();
      await()
          .atMost(WAIT_MAX)
          .until(
              () ->
                  receiver.deliveries().stream().filter(d -> d.path().equals("/held")).count()
                      == HELD_JOBS);
      // Caught up: every node takes creates again.
      for (String via : cluster.ids()) {
        await()
            .atMost(WAIT_MAX)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> refusal(cluster, via, "after-" + seq.getAndIncrement()) == null);
      }
      assertThat(victim.executor().behindMs()).isZero();
    }
  }

  private static JobServiceGrpc.JobServiceBlockingStub stub(MiniCluster cluster, String via) {
    return JobServiceGrpc.newBlockingStub(cluster.channel(via))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static void create(MiniCluster cluster, String via, String name) {
    stub(cluster, via).createJob(ConcurrentCreatesTest.request(name));
  }

  /** Creates a job due in a week through {@code via}: null when accepted, else the refusal. */
  private static StatusRuntimeException refusal(MiniCluster cluster, String via, String name) {
    try {
      create(cluster, via, name);
      return null;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
        throw e;
      }
      return e;
    }
  }

  private static ErrorInfo errorInfo(StatusRuntimeException e) throws Exception {
    for (com.google.protobuf.Any d : StatusProto.fromThrowable(e).getDetailsList()) {
      if (d.is(ErrorInfo.class)) {
        return d.unpack(ErrorInfo.class);
      }
    }
    throw new AssertionError("no ErrorInfo in " + e);
  }
}
