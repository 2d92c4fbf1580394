package io.horae.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.ClusterStatus;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.Receiver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A network partition of real node processes (through {@link io.horae.chaos.net.ChaosNet}): the
 * leader, cut off from both followers while a steady load runs, is replaced by a leader of the
 * majority; the majority delivers everything due, including the cut-off node's shards; the isolated
 * node, whose lease lapses, starts no delivery after its shards were handed away; after the heal it
 * rejoins and every replica applies the same log.
 */
class PartitionTest extends ChaosTest {
  static final int JOBS = 100;
  static final long INTERVAL_MS = 1_000;

  @Test
  void anIsolatedLeaderIsReplacedAndTheMajorityDeliversEverythingDueWithoutADuplicate()
      throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(tmp, 3, true);
        HoraeClient client = cluster.client()) {
      Workload load = Workload.start(client, receiver, JOBS, INTERVAL_MS);
      ClusterStatus before = cluster.awaitCaughtUp(client);
      String isolated = before.getLeaderId();
      List<String> majority = cluster.ids().stream().filter(id -> !id.equals(isolated)).toList();

      long cutAt = System.currentTimeMillis();
      cluster.net().isolate(isolated);
      try (HoraeClient majorityClient = cluster.client(majority.get(0))) {
        ClusterStatus after =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () -> ProcessCluster.statusWithLeader(majorityClient),
                    s -> !s.getLeaderId().equals(isolated));
        assertThat(majority).contains(after.getLeaderId());
        // Everything due up to 8 s after the cut is delivered by the majority.
        load.awaitDelivered(receiver, cutAt + 8_000);
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> ProcessCluster.statusWithLeader(majorityClient),
                s -> Workload.shardsOf(s, isolated).isEmpty());
      }
      long healAt = System.currentTimeMillis();
      cluster.net().heal();
      load.awaitDelivered(receiver, healAt + 3_000);
      ClusterStatus healed = cluster.awaitCaughtUp(client);
      assertThat(healed.getNodesList()).allMatch(n -> n.getReachable());

      List<Receiver.Delivery> all = receiver.deliveries();
      for (Receiver.Delivery d : all) {
        assertThat(d.receivedMs())
            .as("never early: %s", d.idempotencyKey())
            .isGreaterThanOrEqualTo(d.scheduledMs());
      }
      // The isolated node may have sent an execution it was already sending when the link was
      // cut (its result could not be recorded); after its lease lapsed it starts nothing.
      long leaseLapsedBy = cutAt + 2_000;
      List<Receiver.Delivery> lateFromIsolated =
          all.stream()
              .filter(d -> isolated.equals(d.node()) && d.attemptTime() != null)
              .filter(
                  d ->
                      Instant.parse(d.attemptTime()).toEpochMilli() > leaseLapsedBy
                          && Instant.parse(d.attemptTime()).toEpochMilli() < healAt)
              .toList();
      assertThat(lateFromIsolated)
          .as("attempts the isolated node started after its lease lapsed and before the heal")
          .isEmpty();
      Map<String, Long> copies =
          all.stream()
              .collect(
                  Collectors.groupingBy(Receiver.Delivery::idempotencyKey, Collectors.counting()));
      List<String> repeated =
          copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
      for (String key : repeated) {
        Receiver.Delivery first =
            all.stream()
                .filter(d -> d.idempotencyKey().equals(key))
                .min((a, b) -> Long.compare(a.receivedMs(), b.receivedMs()))
                .orElseThrow();
        assertThat(first.node())
            .as("a repeated delivery of %s was first sent by the cut-off node", key)
            .isEqualTo(isolated);
        assertThat(Instant.parse(first.attemptTime()).toEpochMilli())
            .as("first attempt of %s", key)
            .isLessThanOrEqualTo(leaseLapsedBy);
      }
    }
  }
}
