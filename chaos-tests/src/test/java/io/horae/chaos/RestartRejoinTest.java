package io.horae.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.NodeStatus;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.Receiver;
import io.horae.statemachine.core.Shards;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A node stopped under load loses its shards to the others; restarted, it catches up, gets its
 * share of shards back a few at a time, and then delivers exactly the work of its shards.
 *
 * <p>The check follows from the design, not from a margin: once the map is balanced (every node
 * holds 21 or 22 of the 64 shards) and stays unchanged, every delivery comes from the owner of its
 * job's shard. How many deliveries that makes per node depends on how the job names hash into
 * shards, which the test prints but does not bound (a fixed tolerance around an even share failed
 * on a slower machine with 1,102 of 3,000 while every delivery came from its owner).
 */
class RestartRejoinTest extends ChaosTest {
  /** Many jobs, so that each node's share of them is close to its share of shards. */
  static final int JOBS = 1_000;

  static final long INTERVAL_MS = 5_000;

  /** Deliveries over which the shares are counted once the map is balanced again. */
  static final int SAMPLE = 3_000;

  /** 64 shards over 3 nodes: 21, 21 and 22. */
  static final int FEWEST_SHARDS = 21;

  /**
   * After the last move: the old owner's last calls and the hand-off barrier, with room to spare.
   */
  static final long SETTLE_MS = 2_000;

  @Test
  void aRestartedNodeCatchesUpGetsShardsBackAndDeliversAnEvenShare() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(tmp, 3);
        HoraeClient client = cluster.client()) {
      Workload load = Workload.start(client, receiver, JOBS, INTERVAL_MS);
      ClusterStatus before = cluster.awaitCaughtUp(client);
      String stopped =
          cluster.ids().stream()
              .filter(id -> !id.equals(before.getLeaderId()))
              .findFirst()
              .orElseThrow();
      cluster.stop(stopped);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> Workload.shardsOf(client.clusterStatus(), stopped).isEmpty());
      ClusterStatus whileDown = ProcessCluster.statusWithLeader(client);
      long committedWhileDown = node(whileDown, whileDown.getLeaderId()).getCommitIndex();
      long restartedAt = System.currentTimeMillis();
      cluster.startNode(stopped);
      cluster.awaitLeases();

      // Catching up under 200 deliveries/s on 2 cores takes the restarted JVM 20-40 s (measured;
      // docs/failover.md, known limits), then the shards come back 4 at a time. A restarted node
      // may still lose its shards once more while it is slow (a flap: it falls behind, is
      // drained, docs/failover.md). A sample is kept only if the leader's map did not change
      // while it was taken (a flap inside the window, even one healed before its end, skews the
      // shares); otherwise it is taken again, at most three times.
      List<Receiver.Delivery> sample = List.of();
      long balancedAt = 0;
      int flaps = -1;
      while (sample.isEmpty() && ++flaps <= 3) {
        awaitBalanced(cluster, client, stopped, committedWhileDown);
        long epoch = ProcessCluster.statusWithLeader(client).getShardEpoch();
        long from = System.currentTimeMillis();
        balancedAt = from;
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> after(receiver, from + SETTLE_MS).size() >= SAMPLE);
        ClusterStatus end = ProcessCluster.statusWithLeader(client);
        if (end.getShardEpoch() == epoch
            && ownedCounts(end).values().stream().allMatch(n -> n >= FEWEST_SHARDS)) {
          sample = after(receiver, from + SETTLE_MS).subList(0, SAMPLE);
        }
      }
      assertThat(sample).as("a sample over a balanced map (flaps: %d)", flaps).hasSize(SAMPLE);
      Map<String, Long> shares =
          new TreeMap<>(
              sample.stream()
                  .collect(Collectors.groupingBy(Receiver.Delivery::node, Collectors.counting())));
      Map<Integer, String> owners = ownersOf(ProcessCluster.statusWithLeader(client));
      Map<String, Long> owed =
          new TreeMap<>(
              sample.stream()
                  .collect(
                      Collectors.groupingBy(
                          d -> owners.get(shardOf(d, owners.size())), Collectors.counting())));
      long repeated =
          sample.size() - sample.stream().map(Receiver.Delivery::idempotencyKey).distinct().count();
      System.out.printf(
          "REJOIN node=%s back-in=%dms flaps=%d over %d deliveries: by node %s, by shard owner %s, repeated=%d%n",
          stopped, balancedAt - restartedAt, flaps, SAMPLE, shares, owed, repeated);
      assertThat(shares.keySet()).containsExactlyInAnyOrderElementsOf(cluster.ids());
      assertThat(sample)
          .as("deliveries not sent by the owner of their shard")
          .filteredOn(d -> !d.node().equals(owners.get(shardOf(d, owners.size()))))
          .isEmpty();
      load.awaitDelivered(receiver, balancedAt + SETTLE_MS);
    }
  }

  /** Waits until the restarted node caught up and every node holds at least its fewest shards. */
  private static void awaitBalanced(
      ProcessCluster cluster, HoraeClient client, String restarted, long committedWhileDown) {
    await()
        .atMost(Duration.ofSeconds(75))
        .untilAsserted(
            () -> {
              ClusterStatus now = client.clusterStatus();
              assertThat(node(now, restarted).getAppliedIndex())
                  .as("applied index of %s", restarted)
                  .isGreaterThanOrEqualTo(committedWhileDown);
              Map<String, Long> owned = ownedCounts(now);
              assertThat(owned).as("shards per node").containsOnlyKeys(cluster.ids());
              assertThat(owned.values())
                  .as("shards per node %s", owned)
                  .allMatch(n -> n >= FEWEST_SHARDS);
            });
  }

  private static Map<Integer, String> ownersOf(ClusterStatus status) {
    return status.getShardOwnersList().stream()
        .collect(Collectors.toMap(o -> o.getShard(), o -> o.getNodeId()));
  }

  /** The shard of a delivery's job, from its idempotency key namespace/name@millis. */
  private static int shardOf(Receiver.Delivery d, int shardCount) {
    String key = d.idempotencyKey();
    int slash = key.indexOf('/');
    return Shards.of(
        key.substring(0, slash), key.substring(slash + 1, key.lastIndexOf('@')), shardCount);
  }

  private static NodeStatus node(ClusterStatus status, String id) {
    return status.getNodesList().stream()
        .filter(n -> n.getId().equals(id))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, Long> ownedCounts(ClusterStatus status) {
    return status.getShardOwnersList().stream()
        .collect(Collectors.groupingBy(o -> o.getNodeId(), Collectors.counting()));
  }

  /** Deliveries received at or after {@code fromMs}, in order of arrival. */
  private static List<Receiver.Delivery> after(Receiver receiver, long fromMs) {
    return receiver.deliveries().stream()
        .filter(d -> d.receivedMs() >= fromMs)
        .sorted(Comparator.comparingLong(Receiver.Delivery::receivedMs))
        .toList();
  }
}
