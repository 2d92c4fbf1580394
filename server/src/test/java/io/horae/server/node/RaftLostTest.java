package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.server.cluster.MiniCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose Raft server closes under it (Ratis does that when apply throws) says so, and stops
 * being ready, instead of answering from a frozen replica; an orderly stop is not such a loss.
 */
class RaftLostTest {
  @TempDir Path tmp;

  @Test
  void aRaftServerClosedUnderARunningNodeIsReportedAndTheNodeIsNoLongerReadySayingWhy()
      throws Exception {
    try (MiniCluster c = MiniCluster.start(tmp, 3, Map.of())) {
      c.awaitReady();
      HoraeNode lost = c.follower();
      assertThat(lost.raftLost()).isNotDone();

      lost.division().close();

      await().atMost(Duration.ofSeconds(10)).until(() -> lost.raftLost().isDone());
      assertThat(lost.ready()).isFalse();
      assertThat(lost.notReadyBecause()).hasValue("its Raft server stopped; the node is ending");
      HoraeNode stopped = c.nodes().stream().filter(n -> n != lost).findFirst().orElseThrow();
      c.stopNode(stopped.id());
      assertThat(stopped.raftLost()).as("an orderly stop").isNotDone();
    }
  }
}
