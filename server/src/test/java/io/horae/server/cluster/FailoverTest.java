package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.ShardMap;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work survives a node failure in an in-process cluster: the leader moves a stopped node's shards
 * to the others after its lease, they deliver everything that was due on them with the same
 * execution ids, and the node gets shards back when it returns.
 */
class FailoverTest {
  @TempDir Path tmp;

  @Test
  void aStoppedFollowersShardsMoveAndEveryExecutionIsDeliveredThenItGetsShardsBack()
      throws Exception {
    try (Receiver receiver = new Receiver();
        MiniCluster cluster = MiniCluster.start(tmp, 3, Map.of())) {
      cluster.awaitLeases();
      String victim = cluster.follower().id();
      List<String> victimShards = new ArrayList<>();
      ShardMap before = cluster.leader().shardMap().orElseThrow();
      for (int s = 0; s < before.getOwnersCount(); s++) {
        if (before.getOwners(s).equals(victim)) {
          victimShards.add(Integer.toString(s));
        }
      }
      assertThat(victimShards).isNotEmpty();

      // 300 one-shots due over the 6 s after the stop: a third of them on the victim's shards.
      long start = System.currentTimeMillis() + 2_000;
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        jobs.add(
            ClusterDeliveryTest.jobTo(
                receiver.url("/f"),
                "f-" + i,
                Schedule.newBuilder().setAtMs(start + i * 20L).build()));
      }
      Creates.all(cluster.ids().stream().map(cluster::channel).toList(), jobs);
      cluster.stopNode(victim);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  receiver.deliveries().stream()
                          .map(Receiver.Delivery::idempotencyKey)
                          .distinct()
                          .count()
                      >= 300);
      Set<String> keys =
          receiver.deliveries().stream()
              .map(Receiver.Delivery::idempotencyKey)
              .collect(Collectors.toSet());
      for (int i = 0; i < 300; i++) {
        assertThat(keys).contains("default/f-" + i + "@" + (start + i * 20L));
      }
      for (Receiver.Delivery d : receiver.deliveries()) {
        long due =
            Long.parseLong(d.idempotencyKey().substring(d.idempotencyKey().indexOf('@') + 1));
        assertThat(d.receivedMs())
            .as("delivery of %s", d.idempotencyKey())
            .isGreaterThanOrEqualTo(due);
      }
      ShardMap after = cluster.leader().shardMap().orElseThrow();
      assertThat(after.getOwnersList()).doesNotContain(victim);
      assertThat(after.getEpoch()).isGreaterThan(before.getEpoch());

      HoraeNode back = cluster.startNode(victim);
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                List<String> owners = cluster.leader().shardMap().orElseThrow().getOwnersList();
                for (String id : cluster.ids()) {
                  assertThat(Collections.frequency(owners, id))
                      .as("shards of %s", id)
                      .isBetween(21, 22);
                }
              });
      assertThat(back.leaseFresh()).isTrue();
    }
  }
}
