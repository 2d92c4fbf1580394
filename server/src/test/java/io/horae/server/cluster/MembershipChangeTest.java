package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.AddNodeRequest;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.Every;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.MembershipResponse;
import io.horae.api.v1.NodeStatus;
import io.horae.api.v1.RemoveNodeRequest;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.ShardMap;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership changes on real Ratis servers in one JVM (docs/failover.md, "Membership"): a removed
 * node's shards move away with a live hand-off before it leaves the Raft configuration, and no
 * occurrence of a recurring job is lost; a node started in join mode catches up, joins the
 * configuration and gets shards by rebalancing; removing the leader moves leadership first.
 */
class MembershipChangeTest {
  private static final long INTERVAL_MS = 1_000;
  private static final int JOBS = 60;

  @TempDir Path tmp;

  private static ClusterServiceGrpc.ClusterServiceBlockingStub cluster(MiniCluster c, String id) {
    return ClusterServiceGrpc.newBlockingStub(c.channel(id))
        .withDeadlineAfter(90, TimeUnit.SECONDS);
  }

  @Test
  void removingAFollowerUnderLoadMovesItsShardsFirstAndLosesNoOccurrence() throws Exception {
    try (Receiver receiver = new Receiver();
        MiniCluster c = MiniCluster.start(tmp, 3, Map.of())) {
      String leader = c.leader().id();
      String victim = c.follower().id();
      String other =
          c.ids().stream()
              .filter(id -> !id.equals(leader) && !id.equals(victim))
              .findFirst()
              .orElseThrow();
      // Far enough ahead that every create commits before its job's first occurrence.
      long anchor = System.currentTimeMillis() + 5_000;
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        Every every =
            Every.newBuilder().setIntervalMs(INTERVAL_MS).setAnchorMs(anchor + i * 15L).build();
        jobs.add(
            ClusterDeliveryTest.jobTo(
                receiver.url("/r"), "r-" + i, Schedule.newBuilder().setEvery(every).build()));
      }
      Creates.all(c.ids().stream().map(c::channel).toList(), jobs);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> receiver.deliveries().stream().anyMatch(d -> victim.equals(d.node())));
      ShardMap before = c.leader().shardMap().orElseThrow();
      List<Integer> victimShards = new ArrayList<>();
      for (int s = 0; s < before.getOwnersCount(); s++) {
        if (before.getOwners(s).equals(victim)) {
          victimShards.add(s);
        }
      }

      MembershipResponse removed =
          cluster(c, other).removeNode(RemoveNodeRequest.newBuilder().setId(victim).build());
      long removedAtMs = System.currentTimeMillis();

      assertThat(removed.getVotersList())
          .containsExactly(new TreeSet<>(List.of(leader, other)).toArray(String[]::new));
      assertThat(removed.getShardsMoved()).isEqualTo(victimShards.size());
      ShardMap after = c.node(leader).shardMap().orElseThrow();
      assertThat(after.getOwnersList()).doesNotContain(victim);
      for (int s : victimShards) {
        assertThat(after.getHandoff(s)).as("shard %d: its live hand-off was released", s).isFalse();
        assertThat(after.getShardEpochs(s))
            .as("shard %d has a new tenure", s)
            .isGreaterThan(before.getEpoch());
      }
      assertThat(c.node(victim).registry().find("horae.shards.released").counter().count())
          .as("the victim released its shards itself, once its calls had ended")
          .isGreaterThanOrEqualTo(victimShards.size());
      for (String id : List.of(leader, other)) {
        ClusterStatus status = cluster(c, id).getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(status.getNodesList())
            .extracting(NodeStatus::getId)
            .as("members seen by %s", id)
            .containsExactlyInAnyOrder(leader, other);
      }
      // The removed node keeps running but gets no more acks: it fences itself.
      await().atMost(Duration.ofSeconds(10)).until(() -> !c.node(victim).leaseFresh());
      assertThat(c.node(victim).shardMap().orElseThrow().getOwnersList()).doesNotContain(victim);

      // Every job keeps firing after the removal, and none skipped an occurrence.
      long until = removedAtMs + 3 * INTERVAL_MS;
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  scheduledByJob(receiver).values().stream()
                      .allMatch(t -> !t.isEmpty() && t.last() >= until));
      Map<String, TreeSet<Long>> byJob = scheduledByJob(receiver);
      assertThat(byJob).hasSize(JOBS);
      for (int i = 0; i < JOBS; i++) {
        TreeSet<Long> times = byJob.get("default/r-" + i);
        assertThat(times.first()).as("first occurrence of r-%d", i).isEqualTo(anchor + i * 15L);
        long expected = times.first();
        for (long t : times) {
          assertThat(t).as("occurrences of r-%d without a gap", i).isEqualTo(expected);
          expected += INTERVAL_MS;
        }
      }
    }
  }

  @Test
  void aNodeStartedInJoinModeCatchesUpJoinsTheConfigurationAndGetsShards() throws Exception {
    try (MiniCluster c = MiniCluster.start(tmp, 3, Map.of())) {
      long later = System.currentTimeMillis() + 3_600_000;
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        jobs.add(
            ClusterDeliveryTest.jobTo(
                "http://127.0.0.1:9/none", "j-" + i, Schedule.newBuilder().setAtMs(later).build()));
      }
      Creates.all(List.of(c.channel("n1")), jobs);
      HoraeNode joiner = c.startJoiningNode("n4");
      assertThat(joiner.shardMap()).as("a joining node forms no group of its own").isEmpty();

      MembershipResponse added =
          cluster(c, "n2")
              .addNode(
                  AddNodeRequest.newBuilder()
                      .setId("n4")
                      .setRaftAddress(c.raftAddress("n4"))
                      .setInternalAddress(c.internalAddress("n4"))
                      .setApiAddress(c.endpoint("n4"))
                      .setAdminAddress(c.adminAddress("n4"))
                      .build());

      assertThat(added.getVotersList()).containsExactly("n1", "n2", "n3", "n4");
      long committed = c.leader().commitIndex();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> joiner.store().appliedIndex() >= committed);
      assertThat(joiner.shardMap()).isPresent();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                List<String> owners = c.leader().shardMap().orElseThrow().getOwnersList();
                for (String id : List.of("n1", "n2", "n3", "n4")) {
                  assertThat(Collections.frequency(owners, id))
                      .as("shards of %s", id)
                      .isEqualTo(16);
                }
              });
      assertThat(joiner.leaseFresh()).isTrue();
      ClusterStatus status = cluster(c, "n1").getStatus(GetStatusRequest.getDefaultInstance());
      assertThat(status.getNodesList())
          .extracting(NodeStatus::getId)
          .containsExactly("n1", "n2", "n3", "n4");
      NodeStatus n4 = status.getNodes(3);
      assertThat(n4.getReachable()).isTrue();
      assertThat(n4.getApiAddress()).isEqualTo(c.endpoint("n4"));
      assertThat(n4.getShardsOwned()).isEqualTo(16);
    }
  }

  @Test
  void removingTheLeaderMovesLeadershipFirstAndLeavesTheOthersServing() throws Exception {
    try (MiniCluster c = MiniCluster.start(tmp, 3, Map.of())) {
      String leader = c.leader().id();
      String asked = c.follower().id();

      MembershipResponse removed =
          cluster(c, asked).removeNode(RemoveNodeRequest.newBuilder().setId(leader).build());

      assertThat(removed.getVotersList()).hasSize(2).doesNotContain(leader);
      HoraeNode newLeader =
          await().atMost(Duration.ofSeconds(30)).until(c::leader, n -> !n.id().equals(leader));
      assertThat(removed.getVotersList()).contains(newLeader.id());
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(c.leader().shardMap().orElseThrow().getOwnersList())
                      .doesNotContain(leader)
                      .hasSize(64));
      await().atMost(Duration.ofSeconds(10)).until(() -> !c.node(leader).leaseFresh());
    }
  }

  /** Scheduled times delivered per execution key prefix (namespace/name). */
  private static Map<String, TreeSet<Long>> scheduledByJob(Receiver receiver) {
    Map<String, TreeSet<Long>> out = new TreeMap<>();
    for (Receiver.Delivery d : receiver.deliveries()) {
      String key = d.idempotencyKey();
      out.computeIfAbsent(key.substring(0, key.lastIndexOf('@')), k -> new TreeSet<>())
          .add(d.scheduledMs());
    }
    return out;
  }
}
