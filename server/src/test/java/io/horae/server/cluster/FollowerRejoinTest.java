package io.horae.server.cluster;

import static org.awaitility.Awaitility.await;

import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that was down for a while is caught up soon after it restarts: the leader's log
 * appender, which failed on it all along, does not make it wait seconds between attempts
 * (raft.appenderRetryWaitMax). With Ratis' own policy (5 s per attempt after 30 failures) a
 * follower the bench killed for 10 s got its first lease 25 s after it started; with a longest wait
 * of 5 s this test fails.
 */
class FollowerRejoinTest {
  /**
   * Long enough for the leader's appender to pass Ratis' 30 failures on the follower (10 s was not
   * always).
   */
  static final Duration DOWN = Duration.ofSeconds(15);

  @TempDir Path tmp;

  @Test
  void aFollowerDownForFifteenSecondsUnderLoadIsReadyWithinEightSecondsOfItsRestart()
      throws Exception {
    try (MiniCluster cluster = MiniCluster.start(tmp, 3, Map.of())) {
      String followerId = cluster.follower().id();
      cluster.stopNode(followerId);
      // The fault lasts DOWN, under load: creates in rounds until then (the length of the fault,
      // not a wait for an outcome).
      long until = System.nanoTime() + DOWN.toNanos();
      for (int created = 0; System.nanoTime() < until; created += 200) {
        Creates.all(List.of(cluster.channel(cluster.leader().id())), Creates.later(created, 200));
      }

      HoraeNode follower = cluster.startNode(followerId);
      await().atMost(Duration.ofSeconds(8)).until(follower::ready);
    }
  }
}
