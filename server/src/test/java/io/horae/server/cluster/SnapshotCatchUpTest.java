package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each node keeps its last three snapshots. A follower that lost its whole disk while the cluster
 * moved on catches up by installing the leader's snapshot (the log it missed was purged), and ends
 * with the leader's exact state; one that was only down is sent the entries it missed while the log
 * keeps them (raft.logKeepEntries).
 */
class SnapshotCatchUpTest {
  /** Four snapshots' worth (raft.snapshotEveryEntries=100 below). */
  static final long MIN_ENTRIES = 400;

  @TempDir Path tmp;

  /** Snapshots every 100 entries in small segments, so purges happen within a short load. */
  private static Map<String, String> smallLog(long keepEntries) {
    return Map.of(
        "raft.snapshotEveryEntries", "100",
        "raft.logKeepEntries", String.valueOf(keepEntries),
        "raft.logSegmentBytesMax", "64KiB",
        "raft.batchBytesMax", "32KiB",
        "api.bodyBytesMax", "8KiB");
  }

  /** Stops a follower while the others apply enough entries for several snapshots; its id. */
  private static String stopAFollowerForSeveralSnapshots(MiniCluster cluster) throws Exception {
    String followerId = cluster.follower().id();
    cluster.stopNode(followerId);
    Creates.untilApplied(cluster, MIN_ENTRIES);
    assertThat(cluster.leader().store().appliedIndex())
        .as("entries while the follower was away")
        .isGreaterThanOrEqualTo(MIN_ENTRIES);
    // Each automatic snapshot found its memtables flushed beforehand, off the apply thread.
    HoraeNode leader = cluster.leader();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> leader.snapshotPreFlushes() >= MIN_ENTRIES / 100 - 1);
    return followerId;
  }

  @Test
  void aWipedFollowerCatchesUpBySnapshotAndHoldsTheLeadersState() throws Exception {
    try (MiniCluster cluster = MiniCluster.start(tmp.resolve("wiped"), 3, smallLog(0))) {
      // The log the follower missed is purged behind the snapshots.
      String followerId = stopAFollowerForSeveralSnapshots(cluster);
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

  @Test
  void aFollowerDownForFewerEntriesThanTheLogKeepsIsSentThemNotTheStore() throws Exception {
    try (MiniCluster cluster = MiniCluster.start(tmp.resolve("kept"), 3, smallLog(10_000))) {
      // With raft.logKeepEntries=0 the snapshots would purge what the follower missed, and it
      // would be sent the store.
      String followerId = stopAFollowerForSeveralSnapshots(cluster);
      HoraeNode follower = cluster.startNode(followerId);

      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                HoraeNode l = cluster.leader();
                assertThat(follower.ready()).isTrue();
                assertThat(follower.store().appliedIndex()).isEqualTo(l.store().appliedIndex());
                assertThat(follower.store().digest()).isEqualTo(l.store().digest());
              });
      assertThat(follower.snapshotRestores()).as("snapshot installs on %s", followerId).isZero();
    }
  }

  /**
   * Ratis' own retention (its default keeps one) would leave a leader nothing older to finish
   * sending to a follower while it takes the next snapshot.
   */
  @Test
  void eachNodeKeepsItsLastThreeSnapshots() throws Exception {
    Path root = tmp.resolve("kept-three");
    try (MiniCluster cluster = MiniCluster.start(root, 3, smallLog(0))) {
      Creates.untilApplied(cluster, 500);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                for (String id : cluster.ids()) {
                  List<Long> indexes = snapshotIndexes(root.resolve(id));
                  assertThat(indexes).as("snapshots kept by %s", id).hasSize(3);
                  assertThat(indexes.getLast())
                      .as("%s's newest snapshot", id)
                      .isGreaterThanOrEqualTo(400);
                }
              });
    }
  }

  private static List<Long> snapshotIndexes(Path dataDir) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(dataDir)) {
      return files
          .filter(io.horae.statemachine.ratis.CheckpointStorage::isSnapshotDir)
          .map(io.horae.statemachine.ratis.CheckpointStorage::indexOf)
          .sorted()
          .toList();
    }
  }
}
