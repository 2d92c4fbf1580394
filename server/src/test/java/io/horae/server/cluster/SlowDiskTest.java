package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.disk.SlowDiskHook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal (issue 14, item 8): a member whose disk cannot keep up (the fault hook pauses it before each
 * applied entry) falls behind the log in time; the leader moves its shards away once its replica is
 * older than the stale wait (STALE_WAIT_FACTOR x (lease + margin)), so its deliveries are not late
 * by its lag forever; nothing acknowledged is lost and nothing is delivered twice; when the disk is
 * fast again it catches up and gets shards back, with no restart.
 */
class SlowDiskTest {
  /** One job due every 100 ms, created 1.5 s before it is due, for 24 s. */
  static final int JOBS = 240;

  static final long GAP_MS = 100;
  static final long CREATE_AHEAD_MS = 1_500;

  /** The slow disk: each entry waits this long, far slower than the entries commit. */
  static final long APPLY_DELAY_MS = 150;

  static final Duration WAIT_MAX = Duration.ofSeconds(40);

  @TempDir Path tmp;

  @Test
  void aMemberWithASlowDiskLosesItsShardsWhileItsReplicaIsStaleAndGetsThemBackOnceCaughtUp()
      throws Exception {
    try (MiniCluster cluster = MiniCluster.start(tmp, 3, Map.of("storage.faultHooks", "true"));
        Receiver receiver = new Receiver()) {
      cluster.awaitLeases();
      String slow = cluster.follower().id();
      Path hook = cluster.config(slow).node().dataDir().resolve(SlowDiskHook.FAULT_FILE);
      var stub = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.leader().id()));
      long first = System.currentTimeMillis() + CREATE_AHEAD_MS + 500;

      long faultAt = 0;
      long drainedAt = 0;
      for (int i = 0; i < JOBS; i++) {
        long due = first + i * GAP_MS;
        long createAt = due - CREATE_AHEAD_MS;
        long wait = createAt - System.currentTimeMillis();
        if (wait > 0) {
          Thread.sleep(wait); // pacing the load, not waiting for an outcome
        }
        if (i == 20) {
          Files.writeString(hook, Long.toString(APPLY_DELAY_MS));
          faultAt = System.currentTimeMillis();
        }
        if (drainedAt == 0 && faultAt > 0 && owned(cluster, slow) == 0) {
          drainedAt = System.currentTimeMillis();
        }
        Job job =
            Job.newBuilder()
                .setName("slow-" + i)
                .setSchedule(Schedule.newBuilder().setAtMs(due))
                .setTarget(Target.newBuilder().setUrl(receiver.url("/slow")))
                .build();
        stub.withDeadlineAfter(10, TimeUnit.SECONDS)
            .createJob(CreateJobRequest.newBuilder().setJob(job).build());
      }
      long fault = faultAt;
      if (drainedAt == 0) {
        await()
            .atMost(WAIT_MAX)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> owned(cluster, slow) == 0);
        drainedAt = System.currentTimeMillis();
      }
      long lagBehind =
          cluster.leader().store().appliedIndex() - cluster.node(slow).store().appliedIndex();

      Files.delete(hook);
      long fastAt = System.currentTimeMillis();
      await()
          .atMost(WAIT_MAX)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  cluster.node(slow).store().appliedIndex()
                      >= cluster.node(cluster.leader().id()).store().appliedIndex() - 1);
      long caughtUpAt = System.currentTimeMillis();
      await()
          .atMost(WAIT_MAX)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> owned(cluster, slow) > 0);
      long backAt = System.currentTimeMillis();

      await()
          .atMost(WAIT_MAX)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> keys(receiver).size() == JOBS);
      List<Receiver.Delivery> all = receiver.deliveries();
      assertThat(all).as("each job delivered once, under its own key").hasSize(JOBS);
      long maxLate =
          all.stream().mapToLong(d -> d.receivedMs() - d.scheduledMs()).max().orElseThrow();
      Set<String> senders =
          all.stream()
              .filter(d -> d.scheduledMs() > fault + 10_000 && d.scheduledMs() < fastAt)
              .map(Receiver.Delivery::node)
              .collect(Collectors.toSet());
      assertThat(senders)
          .as("while its disk stayed slow, past the stale wait, the slow node sent nothing")
          .doesNotContain(slow);
      assertThat(lagBehind)
          .as("drained for its replica's age, not its count of entries behind")
          .isLessThan(1_000); // CoordinatorCore.STUCK_LAG_ENTRIES
      assertThat(cluster.nodes()).allSatisfy(n -> assertThat(n.raftLost()).isNotDone());
      System.out.printf(
          "slow disk on %s (%d ms per entry): drained %d ms after the fault (%d entries behind then); caught up %d ms after the disk was fast again, shards back %d ms after; %d delivered, max lateness %d ms%n",
          slow,
          APPLY_DELAY_MS,
          drainedAt - fault,
          lagBehind,
          caughtUpAt - fastAt,
          backAt - caughtUpAt,
          all.size(),
          maxLate);
    }
  }

  /** Shards the leader's map gives the node. */
  private static long owned(MiniCluster cluster, String id) {
    return cluster
        .leader()
        .shardMap()
        .map(m -> m.getOwnersList().stream().filter(id::equals).count())
        .orElse(0L);
  }

  private static Set<String> keys(Receiver receiver) {
    return receiver.deliveries().stream()
        .map(Receiver.Delivery::idempotencyKey)
        .collect(Collectors.toSet());
  }
}
