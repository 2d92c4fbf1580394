package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeepingUpTest {
  private final KeepingUp rule = new KeepingUp();

  @Test
  void beforeTheFirstTickEverythingCommittedMustBeApplied() {
    assertThat(rule.test(99, 100)).isFalse();
    assertThat(rule.test(100, 100)).isTrue();
  }

  @Test
  void underASteadyLoadANodeThatAppliedWhatWasCommittedAtTheLastTickKeepsUp() {
    rule.ticked(1_000);
    // 250 ms later the leader committed 400 more; this node applied 1,390 of them.
    assertThat(rule.test(1_390, 1_400)).isTrue();
    assertThat(rule.test(1_000, 1_400)).isTrue();
  }

  @Test
  void aNodeWhoseApplyBacklogIsLongerThanAHealthPeriodIsNotReady() {
    rule.ticked(1_000);
    assertThat(rule.test(999, 1_400)).isFalse();
  }

  @Test
  void anUnknownCommitIndexMakesTheRuleStrictAgain() {
    rule.ticked(1_000);
    rule.reset();
    assertThat(rule.test(1_000, 1_400)).isFalse();
  }
}
