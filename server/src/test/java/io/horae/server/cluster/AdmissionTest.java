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
 * requests are then let go. A second case holds one target host's requests with one permit per host
 * instead: then only the creates for that host are shed.
 */
class AdmissionTest {
  static final int HELD_JOBS = 3;
  static final long HOLD_MAX_MS = 30_000;
  static final Duration WAIT_MAX = Duration.ofSeconds(20);

  /** The tests' api.admissionLateness: every create is shed once an owner is this far behind. */
  static final long ADMISSION_LATENESS_MS = 1_000;

  @TempDir Path tmp;

  @Test
  void anOwnerBehindItsDueWorkMakesEveryNodeShedCreatesUntilItCatchesUp() throws Exception {
    Map<String, String> config =
        Map.of(
            "exec.dispatchConcurrency", "1",
            "exec.deliveryTimeout", "30s",
            "api.admissionLateness", ADMISSION_LATENESS_MS + "ms");
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
        stub(cluster, cluster.leader().id()).createJob(request(name, receiver.url("/held"), dueMs));
      }

      // The first held request takes the victim's only slot; the others wait behind it.
      List<String> shedNames = new java.util.ArrayList<>();
      for (String via : cluster.ids()) {
        StatusRuntimeException shed =
            awaitShed(
                cluster,
                via,
                () -> ConcurrentCreatesTest.request("shed-" + seq.getAndIncrement()),
                shedNames);
        assertThat(shed.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        ErrorInfo info = errorInfo(shed);
        assertThat(info.getReason()).isEqualTo("CLUSTER_BEHIND");
        assertThat(info.getMetadataMap())
            .containsEntry("node", victim.id())
            .containsEntry("done", "no");
        assertThat(behindMs(shed)).isGreaterThan(500);
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
      assertNotWritten(cluster, shedNames);

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

  @Test
  void executionsWaitingForTheirHostsPermitsShedOnlyTheCreatesForThatHost() throws Exception {
    Map<String, String> config =
        Map.of(
            "exec.maxRequestsPerHost", "1",
            "exec.deliveryTimeout", "30s",
            "api.admissionLateness", ADMISSION_LATENESS_MS + "ms");
    try (Receiver slow = new Receiver();
        Receiver fast = new Receiver();
        MiniCluster cluster = MiniCluster.start(tmp, 3, config)) {
      cluster.awaitLeases();
      HoraeNode owner = cluster.follower();
      ShardMap map = cluster.leader().shardMap().orElseThrow();
      CountDownLatch gate = new CountDownLatch(1);
      slow.hold("/held", gate, HOLD_MAX_MS);
      String slowUrl = slow.url("/held");
      String fastUrl = fast.url("/ok");
      long later = System.currentTimeMillis() + TimeUnit.DAYS.toMillis(7);
      AtomicInteger seq = new AtomicInteger();

      long dueMs = System.currentTimeMillis() + 500;
      for (String name : OrderlyStopTest.namesOwnedBy(map, owner.id(), HELD_JOBS)) {
        stub(cluster, cluster.leader().id()).createJob(request(name, slowUrl, dueMs));
      }

      // The first held request takes the host's only permit on its owner; the others wait.
      List<String> shedNames = new java.util.ArrayList<>();
      for (String via : cluster.ids()) {
        StatusRuntimeException shed =
            awaitShed(
                cluster,
                via,
                () -> request("slow-" + seq.getAndIncrement(), slowUrl, later),
                shedNames);
        ErrorInfo info = errorInfo(shed);
        assertThat(info.getReason()).isEqualTo("TARGET_BEHIND");
        String host = "http://127.0.0.1:" + java.net.URI.create(slowUrl).getPort();
        assertThat(info.getMetadataMap()).containsEntry("host", host);
        assertThat(shed.getStatus().getDescription()).contains(host, "exec.maxRequestsPerHost");
        assertThat(refusal(cluster, via, request("fast-" + seq.getAndIncrement(), fastUrl, later)))
            .as("a create for another host through %s", via)
            .isNull();
      }
      assertThat(cluster.nodes())
          .as("no owner is behind: only the host is")
          .allSatisfy(n -> assertThat(n.executor().behindMs()).isZero());

      // In one CreateJobs call only the item for the slow host is shed.
      String slowItem = "slow-" + seq.getAndIncrement();
      String fastItem = "fast-" + seq.getAndIncrement();
      var results =
          stub(cluster, owner.id())
              .createJobs(
                  CreateJobsRequest.newBuilder()
                      .addJobs(request(slowItem, slowUrl, later))
                      .addJobs(request(fastItem, fastUrl, later))
                      .build())
              .getResultsList();
      assertThat(results.get(0).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
      assertThat(results.get(0).getMessage()).contains("exec.maxRequestsPerHost");
      assertThat(results.get(1).getJob().getName()).isEqualTo(fastItem);
      shedNames.add(slowItem);
      assertNotWritten(cluster, shedNames);

      gate.countDown();
      await().atMost(WAIT_MAX).until(() -> slow.deliveries().size() == HELD_JOBS);
      for (String via : cluster.ids()) {
        await()
            .atMost(WAIT_MAX)
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    refusal(cluster, via, request("slow-" + seq.getAndIncrement(), slowUrl, later))
                        == null);
      }
    }
  }

  private static CreateJobRequest request(String name, String url, long atMs) {
    return CreateJobRequest.newBuilder()
        .setJob(ClusterDeliveryTest.jobTo(url, name, Schedule.newBuilder().setAtMs(atMs).build()))
        .build();
  }

  private static void assertNotWritten(MiniCluster cluster, List<String> names) {
    for (String name : names) {
      assertThatThrownBy(
              () ->
                  stub(cluster, cluster.leader().id())
                      .getJob(GetJobRequest.newBuilder().setName(name).build()))
          .as("shed create %s", name)
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
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
    return refusal(cluster, via, ConcurrentCreatesTest.request(name));
  }

  /**
   * Sends fresh creates through {@code via} until one is shed past the shedding ramp (behind_ms at
   * least the whole api.admissionLateness, 1 s, where every create is refused), and returns its
   * refusal; the names of all the shed ones go to {@code shedNames} (nothing of them may be
   * written). A refusal inside the ramp (from half of it) is a draw, and a single call made after
   * it, such as the CreateJobs checks, could then pass.
   */
  private static StatusRuntimeException awaitShed(
      MiniCluster cluster,
      String via,
      java.util.function.Supplier<CreateJobRequest> next,
      List<String> shedNames) {
    return await()
        .atMost(WAIT_MAX)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              CreateJobRequest request = next.get();
              StatusRuntimeException e = refusal(cluster, via, request);
              if (e != null) {
                shedNames.add(request.getJob().getName());
              }
              return e;
            },
            e -> e != null && behindMs(e) >= ADMISSION_LATENESS_MS);
  }

  private static long behindMs(StatusRuntimeException e) {
    try {
      return Long.parseLong(errorInfo(e).getMetadataMap().get("behind_ms"));
    } catch (Exception unreadable) {
      throw new AssertionError("no behind_ms in " + e, unreadable);
    }
  }

  /** Sends {@code request} through {@code via}: null when accepted, else the refusal. */
  private static StatusRuntimeException refusal(
      MiniCluster cluster, String via, CreateJobRequest request) {
    try {
      stub(cluster, via).createJob(request);
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
