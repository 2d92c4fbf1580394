package io.horae.server.cluster;

import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ratis 3.3 passes every follower log append through the JVM's common pool (its append chain uses
 * {@code thenComposeAsync} without an executor), and on two cores that pool has one thread. One
 * task blocking it (a stop draining for 12 s, a state digest of a large store) stalled every
 * follower's appends, so nothing committed. Nodes keep spare common-pool threads ({@code
 * HoraeServer}, and the tests' JVM flags), and Horae's own code runs nothing there
 * (docs/architecture.md, "Threads").
 */
class CommonPoolTest {
  @TempDir Path tmp;

  @Test
  void writesCommitAndReplicateWhileATaskHoldsACommonPoolThread() throws Exception {
    try (MiniCluster cluster = MiniCluster.start(tmp, 3, Map.of())) {
      cluster.awaitLeases();
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch hold = new CountDownLatch(1);
      CompletableFuture<Void> busy =
          CompletableFuture.runAsync(
              () -> {
                started.countDown();
                try {
                  hold.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      try {
        started.await(10, TimeUnit.SECONDS);
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          // Due in 2100 to a loopback receiver that does not exist: only the create matters.
          jobs.add(
              ClusterDeliveryTest.jobTo(
                  "http://127.0.0.1:9/never",
                  "pool-" + i,
                  Schedule.newBuilder().setAtMs(4_102_444_800_000L).build()));
        }
        HoraeNode leader = cluster.leader();
        Creates.all(List.of(cluster.channel(leader.id())), jobs);
        long committed = leader.commitIndex();
        // Every replica, followers included, has the creates long before Raft's 3 s append timeout.
        await()
            .atMost(Duration.ofSeconds(2))
            .until(
                () ->
                    cluster.nodes().stream().allMatch(n -> n.store().appliedIndex() >= committed));
      } finally {
        hold.countDown();
        busy.join();
      }
    }
  }
}
