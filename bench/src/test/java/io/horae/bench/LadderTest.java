package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The ladder's verdicts: when a step holds, and what capacity the steps give. */
class LadderTest {
  private static final List<Integer> RATES = List.of(500, 1_000, 2_000);

  private static LadderScenario.Step step(int rate, long p99, long missing) {
    long offered = rate * 20L;
    return new LadderScenario.Step(
        rate, rate, missing, offered, p99, LadderScenario.holds(p99, missing, offered));
  }

  @Test
  void aStepHoldsOnlyWithP99AtMostTheLimitAndAtMostOnePercentRefusedOrUndelivered() {
    assertThat(step(500, 100, 100).held()).isTrue();
    assertThat(step(500, 101, 0).held()).isFalse();
    assertThat(step(500, 10, 101).held()).isFalse();
  }

  @Test
  void capacityIsTheHighestRateOfAStepThatHeld() {
    assertThat(
            LadderScenario.capacity(
                List.of(step(500, 20, 0), step(1_000, 60, 0), step(2_000, 900, 0)), RATES))
        .isEqualTo("1,000/s");
  }

  @Test
  void capacitySaysSoWhenNoStepOrEveryStepHeld() {
    assertThat(LadderScenario.capacity(List.of(step(500, 300, 0), step(1_000, 900, 0)), RATES))
        .isEqualTo("below 500/s (no step held)");
    assertThat(
            LadderScenario.capacity(
                List.of(step(500, 5, 0), step(1_000, 5, 0), step(2_000, 5, 0)), RATES))
        .isEqualTo("at least 2,000/s (every step held)");
  }
}
