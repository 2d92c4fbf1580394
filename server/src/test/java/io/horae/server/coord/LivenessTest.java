package io.horae.server.coord;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the leader judges that a member answers at the Raft level: within one lease + margin for
 * "responsive", and within a longer window for the mute check, which must see a follower whose
 * appends are all refused and which Ratis therefore only contacts every 5-7 s.
 */
class LivenessTest {
  private static final long SILENCE_NANOS = TimeUnit.MILLISECONDS.toNanos(1_250);

  @Test
  void aFollowerAnsweringEverySixSecondsIsNotResponsiveButCountsAsAnsweringForTheMuteCheck() {
    Map<String, Long> ages = Map.of("n1", 0L, "n2", 6_000L, "n3", 40_000L);
    Liveness liveness =
        new Liveness(
            () -> List.of("n1", "n2", "n3"),
            System::nanoTime,
            SILENCE_NANOS,
            id -> ages.getOrDefault(id, Long.MAX_VALUE));
    long muteWindow = CoordinatorCore.MUTE_ANSWER_WINDOW_FACTOR * SILENCE_NANOS;

    assertThat(liveness.raftResponsive("n1")).isTrue();
    assertThat(liveness.raftResponsive("n2")).isFalse();
    assertThat(liveness.raftAnsweredWithin("n2", muteWindow)).isTrue();
    assertThat(liveness.raftAnsweredWithin("n3", muteWindow)).as("dead for 40 s").isFalse();
    assertThat(liveness.raftAnsweredWithin("n4", muteWindow)).as("never heard").isFalse();
    assertThat(CoordinatorCore.MUTE_ANSWER_WINDOW_FACTOR)
        .as(
            "a node that died stops counting as answering before it has been mute long enough to trigger a hand-over")
        .isLessThan(CoordinatorCore.MUTE_WAIT_FACTOR);
  }
}
