package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.RemoveNodeRequest;
import io.horae.api.v1.Schedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live hand-off (docs/failover.md, "Live hand-off"): when a node's shards move away while it
 * runs (here: remove-node), the claims it has not started are given back and delivered on time by
 * the new owners, and the requests it has in flight are left to it: none is sent a second time,
 * however long past the hand-off wait the target takes to answer.
 */
class LiveHandOffTest {
  /** Slow jobs: their requests are in flight on the old owner when its shards move. */
  private static final int SLOW = 12;
  /** Fast jobs, due after the move: claimed by the old owner ahead of time, never started there. */
  private static final int FAST = 48;
  /** Lookahead is 5 s: the fast jobs are claimed before the move and due after it. */
  private static final long FAST_AFTER_SLOW_MS = 2_500;

  @TempDir Path tmp;

  @Test
  void unstartedClaimsAreGivenBackAndDeliveredOnTimeAndInFlightOnesAreNotSentTwice() throws Exception {
    try (Receiver receiver = new Receiver();
        MiniCluster c = MiniCluster.start(tmp, 3, Map.of())) {
      CountDownLatch answerSlow = new CountDownLatch(1);
      receiver.hold("/slow", answerSlow, 9_000);
      String victim = c.follower().id();
      String other = c.ids().stream().filter(id -> !id.equals(victim)).findFirst().orElseThrow();
      long slowAt = System.currentTimeMillis() + 4_000;
      long fastAt = slowAt + FAST_AFTER_SLOW_MS;
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < SLOW; i++) {
        jobs.add(ClusterDeliveryTest.jobTo(receiver.url("/slow"), "slow-" + i, Schedule.newBuilder().setAtMs(slowAt).build()));
      }
      for (int i = 0; i < FAST; i++) {
        jobs.add(ClusterDeliveryTest.jobTo(receiver.url("/fast"), "fast-" + i, Schedule.newBuilder().setAtMs(fastAt).build()));
      }
      Creates.all(c.ids().stream().map(c::channel).toList(), jobs);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> receiver.arrivals().stream().anyMatch(d -> d.path().equals("/slow") && victim.equals(d.node())));

      ClusterServiceGrpc.newBlockingStub(c.channel(other))
          .withDeadlineAfter(60, TimeUnit.SECONDS)
          .removeNode(RemoveNodeRequest.newBuilder().setId(victim).build());

      // The fast jobs the victim had claimed come from the new owners, without waiting for the
      // victim's in-flight requests (those are still held by the receiver).
      await().atMost(Duration.ofSeconds(15)).until(() -> keys(receiver, "/fast").size() == FAST);
      assertThat(receiver.arrivals()).filteredOn(d -> d.path().equals("/fast")).extracting(Receiver.Delivery::node).doesNotContain(victim);
      long fastLast = receiver.arrivals().stream().filter(d -> d.path().equals("/fast")).mapToLong(Receiver.Delivery::receivedMs).max().orElseThrow();
      assertThat(fastLast - fastAt).as("lateness of the last fast job (the in-flight wait is over 10 s)").isLessThan(5_000);

      answerSlow.countDown();
      // Once every execution succeeded nothing is sent again; had the victim's results been
      // lost, the new owners would have sent its requests again after their in-flight wait.
      await().atMost(Duration.ofSeconds(40)).until(() -> succeeded(c, other) == SLOW + FAST);
      Map<String, Long> sends = receiver.arrivals().stream().collect(Collectors.groupingBy(Receiver.Delivery::idempotencyKey, Collectors.counting()));
      assertThat(sends).hasSize(SLOW + FAST);
      assertThat(sends).as("requests per idempotency key").allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1L));
    }
  }

  private static Map<String, Long> keys(Receiver receiver, String path) {
    return receiver.arrivals().stream().filter(d -> d.path().equals(path)).collect(Collectors.groupingBy(Receiver.Delivery::idempotencyKey, Collectors.counting()));
  }

  private static int succeeded(MiniCluster c, String id) {
    return ExecutionServiceGrpc.newBlockingStub(c.channel(id))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .listExecutions(ListExecutionsRequest.newBuilder().addStatuses(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED).setPageSize(500).build())
        .getExecutionsCount();
  }
}
