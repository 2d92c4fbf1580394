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
 * A restarted node says it is ready only once it has caught up: an operator (or the bench) that
 * restarts the next node as soon as this one is ready must not leave the group without a majority
 * of replicas holding the log. Before, a restarted follower was ready as soon as it heard the
 * leader, with the log it had missed still to fetch.
 */
class RestartReadinessTest {
  @TempDir Path tmp;

  @Test
  void aRestartedFollowerIsReadyOnlyOnceItHasAppliedWhatTheLeaderHadAppliedMeanwhile()
      throws Exception {
    try (MiniCluster cluster = MiniCluster.start(tmp, 3, Map.of())) {
      String followerId = cluster.follower().id();
      cluster.stopNode(followerId);
      // Enough missed entries that fetching them takes a while after the leader is known.
      Creates.untilApplied(cluster, cluster.leader().store().appliedIndex() + 300);
      long leaderApplied = cluster.leader().store().appliedIndex();

      HoraeNode follower = cluster.startNode(followerId);
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(2))
          .until(follower::ready);
      assertThat(follower.store().appliedIndex())
          .as("%s's applied index when it first said ready", followerId)
          .isGreaterThanOrEqualTo(leaderApplied);
    }
  }
}
