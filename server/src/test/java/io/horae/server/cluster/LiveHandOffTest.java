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
import io.horae.statemachine.core.Shards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live hand-off (docs/failover.md, "Hand-off barrier"): when a node's shards move away while it
 * runs (here: remove-node), what it has not started is fired on time by the new owners; a shard on
 * which it still has a request in flight is started by its new owner only after the old owner's
 * Released, so none of its requests is sent a second time, however long the target takes to answer.
 */
class LiveHandOffTest {
  private static final int SHARDS = 64;

  /** Slow jobs: their requests are in flight on the old owner when its shards move. */
  private static final int SLOW = 12;

  /** Fast jobs on shards with no slow job, due after the move: never started by the old owner. */
  private static final int FAST = 48;

  /** Jobs due with the fast ones but on a slow job's shard: they wait for the barrier. */
  private static final int BEHIND = 6;

  /** Lookahead is 5 s: the fast jobs are in the old owner's window before the move. */
  private static final long FAST_AFTER_SLOW_MS = 2_500;

  @TempDir Path tmp;

  @Test
  void unstartedWorkMovesOnTimeAndAShardWithACallInFlightWaitsForItsReleasedSoNothingIsSentTwice()
      throws Exception {
    try (Receiver receiver = new Receiver();
        MiniCluster c = MiniCluster.start(tmp, 3, Map.of())) {
      CountDownLatch answerSlow = new CountDownLatch(1);
      receiver.hold("/slow", answerSlow, 9_000);
      String victim = c.follower().id();
      String other = c.ids().stream().filter(id -> !id.equals(victim)).findFirst().orElseThrow();
      long slowAt = System.currentTimeMillis() + 4_000;
      long fastAt = slowAt + FAST_AFTER_SLOW_MS;
      List<String> slow = names("slow", SLOW, s -> true);
      Set<Integer> slowShards =
          slow.stream().map(LiveHandOffTest::shard).collect(Collectors.toSet());
      List<Job> jobs = new ArrayList<>();
      slow.forEach(
          n ->
              jobs.add(
                  ClusterDeliveryTest.jobTo(
                      receiver.url("/slow"), n, Schedule.newBuilder().setAtMs(slowAt).build())));
      names("fast", FAST, s -> !slowShards.contains(s))
          .forEach(
              n ->
                  jobs.add(
                      ClusterDeliveryTest.jobTo(
                          receiver.url("/fast"),
                          n,
                          Schedule.newBuilder().setAtMs(fastAt).build())));
      names("behind", BEHIND, slowShards::contains)
          .forEach(
              n ->
                  jobs.add(
                      ClusterDeliveryTest.jobTo(
                          receiver.url("/behind"),
                          n,
                          Schedule.newBuilder().setAtMs(fastAt).build())));
      Creates.all(c.ids().stream().map(c::channel).toList(), jobs);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  receiver.arrivals().stream()
                      .anyMatch(d -> d.path().equals("/slow") && victim.equals(d.node())));

      // remove-node returns once the victim has released every shard (after its slow calls),
      // so it runs beside the checks, on a thread of its own: a blocking call on the common
      // pool (one thread on 2 cores) stalled the in-process nodes, which use that pool too.
      CompletableFuture<Object> removed = new CompletableFuture<>();
      long removeAt = System.currentTimeMillis();
      Thread.ofPlatform()
          .start(
              () -> {
                try {
                  removed.complete(
                      ClusterServiceGrpc.newBlockingStub(c.channel(other))
                          .withDeadlineAfter(60, TimeUnit.SECONDS)
                          .removeNode(RemoveNodeRequest.newBuilder().setId(victim).build()));
                } catch (RuntimeException e) {
                  removed.completeExceptionally(e);
                }
              });

      // The fast jobs come from the new owners on time, without waiting for the victim's
      // in-flight requests (still held by the receiver).
      await().atMost(Duration.ofSeconds(15)).until(() -> keys(receiver, "/fast").size() == FAST);
      assertThat(receiver.arrivals())
          .filteredOn(d -> d.path().equals("/fast"))
          .extracting(Receiver.Delivery::node)
          .doesNotContain(victim);
      long fastLast =
          receiver.arrivals().stream()
              .filter(d -> d.path().equals("/fast"))
              .mapToLong(Receiver.Delivery::receivedMs)
              .max()
              .orElseThrow();
      assertThat(fastLast - fastAt)
          .as(
              "lateness of the last fast job (the slow requests are held 9 s); %s",
              timeline(receiver, victim, slowAt, fastAt, removeAt))
          .isLessThan(5_000);
      Set<Integer> victimInFlight =
          receiver.arrivals().stream()
              .filter(d -> d.path().equals("/slow") && victim.equals(d.node()))
              .map(d -> shardOfKey(d.idempotencyKey()))
              .collect(Collectors.toSet());
      assertThat(victimInFlight).isNotEmpty();
      assertThat(receiver.arrivals())
          .as(
              "nothing on a shard with a call still in flight on the victim is sent before its Released")
          .filteredOn(d -> d.path().equals("/behind") && !d.node().equals(victim))
          .extracting(d -> shardOfKey(d.idempotencyKey()))
          .doesNotContainAnyElementsOf(victimInFlight);

      assertThat(removed).as("remove-node waits for the victim's Released").isNotDone();
      answerSlow.countDown();
      removed.get(30, TimeUnit.SECONDS);
      // Once every execution succeeded nothing is sent again; had the victim's results been
      // lost or ignored, the new owners would have sent its requests again.
      await()
          .atMost(Duration.ofSeconds(40))
          .until(() -> succeeded(c, other) == SLOW + FAST + BEHIND);
      Map<String, Long> sends =
          receiver.arrivals().stream()
              .collect(
                  Collectors.groupingBy(Receiver.Delivery::idempotencyKey, Collectors.counting()));
      assertThat(sends).hasSize(SLOW + FAST + BEHIND);
      assertThat(sends)
          .as("requests per idempotency key")
          .allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1L));
    }
  }

  /**
   * What a failure needs to be read without the node logs: when remove-node started, and every
   * arrival (path, sending node, ms after its due time).
   */
  private static String timeline(
      Receiver receiver, String victim, long slowAt, long fastAt, long removeAt) {
    return "victim "
        + victim
        + ", remove-node sent "
        + (removeAt - fastAt)
        + " ms after the fast jobs were due; arrivals (path node ms-after-due): "
        + receiver.arrivals().stream()
            .sorted(java.util.Comparator.comparingLong(Receiver.Delivery::receivedMs))
            .map(
                d ->
                    d.path()
                        + " "
                        + d.node()
                        + " "
                        + (d.receivedMs() - (d.path().equals("/slow") ? slowAt : fastAt)))
            .collect(Collectors.joining(", "));
  }

  /** The first n names prefix-i whose shard passes the filter. */
  private static List<String> names(String prefix, int n, IntPredicate shardFilter) {
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < n; i++) {
      String name = prefix + "-" + i;
      if (shardFilter.test(shard(name))) {
        out.add(name);
      }
    }
    return out;
  }

  private static int shard(String name) {
    return Shards.of("default", name, SHARDS);
  }

  /** The shard of an execution id default/name@millis. */
  private static int shardOfKey(String key) {
    return shard(key.substring(key.indexOf('/') + 1, key.indexOf('@')));
  }

  private static Map<String, Long> keys(Receiver receiver, String path) {
    return receiver.arrivals().stream()
        .filter(d -> d.path().equals(path))
        .collect(Collectors.groupingBy(Receiver.Delivery::idempotencyKey, Collectors.counting()));
  }

  private static int succeeded(MiniCluster c, String id) {
    return ExecutionServiceGrpc.newBlockingStub(c.channel(id))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .listExecutions(
            ListExecutionsRequest.newBuilder()
                .addStatuses(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED)
                .setPageSize(500)
                .build())
        .getExecutionsCount();
  }
}
