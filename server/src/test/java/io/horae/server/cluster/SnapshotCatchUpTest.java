package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that lost its whole disk while the cluster moved on catches up by installing the
 * leader's snapshot (the log it missed was purged), and ends with the leader's exact state.
 */
class SnapshotCatchUpTest {
  /** Four snapshots' worth (raft.snapshotEveryEntries=100 below). */
  static final long MIN_ENTRIES = 400;

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
      String followerId = cluster.follower().id();
      cluster.stopNode(followerId);

      // Enough entries for several snapshots, so the log the follower missed is purged.
      Creates.untilApplied(cluster, MIN_ENTRIES);
      assertThat(cluster.leader().store().appliedIndex())
          .as("entries while the follower was away")
          .isGreaterThanOrEqualTo(MIN_ENTRIES);
      // Each automatic snapshot found its memtables flushed beforehand, off the apply thread.
      HoraeNode leader = cluster.leader();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> leader.snapshotPreFlushes() >= MIN_ENTRIES / 100 - 1);
      cluster.wipe(followerId);
      HoraeNode follower = cluster.startNode(followerId);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  follower.store().appliedIndex() >= cluster.leader().store().appliedIndex()
                      && follower.ready());
      assertThat(follower.snapshotRestores())
          .as("snapshot installs on %s", followerId)
          .isGreaterThan(0);
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
