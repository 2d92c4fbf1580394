package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that lost its whole disk while the cluster moved on catches up by installing the
 * leader's snapshot (the log it missed was purged), and ends with the leader's exact state.
 */
class SnapshotCatchUpTest {
  @TempDir Path tmp;

  @Test
  void aWipedFollowerCatchesUpBySnapshotAndHoldsTheLeadersState() throws Exception {
    Map<String, String> smallLog =
        Map.of(
            "raft.snapshotEveryEntries", "100",
            "raft.logSegmentBytesMax", "64KiB",
            "raft.batchBytesMax", "32KiB",
            "api.bodyBytesMax", "8KiB");
    try (MiniCluster cluster = MiniCluster.start(tmp, 3, smallLog)) {
      HoraeNode leader = cluster.leader();
      String followerId = cluster.follower().id();
      cluster.stopNode(followerId);

      long farAway = System.currentTimeMillis() + 3_600_000;
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < 1_000; i++) {
        jobs.add(ClusterDeliveryTest.jobTo("http://127.0.0.1:9/never", "later-" + i, Schedule.newBuilder().setAtMs(farAway + i).build()));
      }
      Creates.all(List.of(cluster.channel(leader.id())), jobs);
      cluster.wipe(followerId);
      HoraeNode follower = cluster.startNode(followerId);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> follower.store().appliedIndex() >= cluster.leader().store().appliedIndex() && follower.ready());
      assertThat(follower.snapshotRestores()).as("snapshot installs on %s", followerId).isGreaterThan(0);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                HoraeNode l = cluster.leader();
                assertThat(follower.store().appliedIndex()).isEqualTo(l.store().appliedIndex());
                assertThat(follower.store().digest()).isEqualTo(l.store().digest());
              });
    }
  }
}
