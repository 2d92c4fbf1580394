package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.AddNodeRequest;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.NodeStatus;
import io.horae.internal.v1.Member;
import io.horae.internal.v1.Members;
import io.horae.server.node.HoraeNode;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Addresses of members added at runtime travel in snapshots: a node added after the log that
 * recorded an earlier addition was purged installs a snapshot, and then knows that member's
 * addresses (its status fan-out reaches it).
 */
class JoinBySnapshotTest {
  @TempDir Path tmp;

  private static AddNodeRequest add(MiniCluster c, String id) {
    return AddNodeRequest.newBuilder()
        .setId(id)
        .setRaftAddress(c.raftAddress(id))
        .setApiAddress(c.endpoint(id))
        .setInternalAddress(c.internalAddress(id))
        .build();
  }

  @Test
  void aNodeAddedAfterThePurgeCatchesUpBySnapshotAndKnowsTheMembersAddedBeforeIt()
      throws Exception {
    Map<String, String> smallLog =
        Map.of(
            "raft.snapshotEveryEntries", "100",
            "raft.logKeepEntries", "0",
            "raft.logSegmentBytesMax", "64KiB",
            "raft.batchBytesMax", "32KiB",
            "api.bodyBytesMax", "8KiB");
    try (MiniCluster c = MiniCluster.start(tmp, 3, smallLog)) {
      var stub =
          ClusterServiceGrpc.newBlockingStub(c.channel("n1"))
              .withDeadlineAfter(90, TimeUnit.SECONDS);
      c.startJoiningNode("n4");
      stub.addNode(add(c, "n4"));
      // Several snapshots' worth of entries, so the entry that added n4 is purged from the log.
      Creates.untilApplied(c, 400);

      HoraeNode n5 = c.startJoiningNode("n5");
      ClusterServiceGrpc.newBlockingStub(c.channel("n2"))
          .withDeadlineAfter(90, TimeUnit.SECONDS)
          .addNode(add(c, "n5"));

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> n5.store().appliedIndex() >= c.leader().commitIndex() - 1 && n5.ready());
      assertThat(n5.snapshotRestores()).as("snapshot installs on n5").isGreaterThan(0);
      Members records = Members.parseFrom(n5.store().get(Family.META, Keys.META_MEMBERS));
      assertThat(records.getMembersList()).extracting(Member::getId).contains("n4", "n5");
      assertThat(records.getMembersList())
          .filteredOn(m -> m.getId().equals("n4"))
          .extracting(Member::getApiAddress)
          .containsExactly(c.endpoint("n4"));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                ClusterStatus status =
                    ClusterServiceGrpc.newBlockingStub(c.channel("n5"))
                        .getStatus(GetStatusRequest.getDefaultInstance());
                assertThat(status.getNodesList())
                    .extracting(NodeStatus::getId)
                    .containsExactly("n1", "n2", "n3", "n4", "n5");
                assertThat(status.getNodesList()).allMatch(NodeStatus::getReachable);
              });
    }
  }
}
