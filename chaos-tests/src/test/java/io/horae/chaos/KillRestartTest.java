package io.horae.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.ClusterStatus;
import io.horae.client.HoraeClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * kill -9 and restart of a node under load. Ratis replays its log from its last snapshot after a
 * crash, while the node's store already holds every entry it applied: the replay must change
 * nothing and must not stop the node (the chaos suite found it closing its Raft server on the first
 * replayed entry). The node catches up, gets shards back and delivers again.
 */
class KillRestartTest extends ChaosTest {
  static final int JOBS = 100;
  static final long INTERVAL_MS = 1_000;

  @Test
  void aNodeKilledAndRestartedReplaysItsLogCatchesUpAndDeliversAgain() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(tmp, 3);
        HoraeClient client = cluster.client()) {
      Workload load = Workload.start(client, receiver, JOBS, INTERVAL_MS);
      ClusterStatus before = cluster.awaitCaughtUp(client);
      String victim =
          cluster.ids().stream()
              .filter(id -> !id.equals(before.getLeaderId()))
              .findFirst()
              .orElseThrow();
      cluster.kill(victim);
      cluster.startNode(victim);
      long restartedAt = System.currentTimeMillis();

      cluster.awaitLeases();
      ClusterStatus after = cluster.awaitCaughtUp(client);
      assertThat(after.getNodesList()).allMatch(n -> n.getReachable());
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !Workload.shardsOf(client.clusterStatus(), victim).isEmpty());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  receiver.deliveries().stream()
                      .anyMatch(d -> victim.equals(d.node()) && d.receivedMs() > restartedAt));
      load.awaitDelivered(receiver, System.currentTimeMillis());
    }
  }
}
