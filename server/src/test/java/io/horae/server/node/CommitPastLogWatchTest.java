package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitPastLogWatchTest {
  static final long GRACE = 5_000;

  @Test
  void aLogThatHoldsItsCommittedEntriesIsNeverWedged() {
    CommitPastLogWatch watch = new CommitPastLogWatch(GRACE);
    assertThat(watch.wedged(162, 162, 0)).isFalse();
    assertThat(watch.wedged(162, 395, 1_000_000)).isFalse();
  }

  @Test
  void aCommitIndexPastTheLogEndCountsOnlyAfterTheGracePeriod() {
    CommitPastLogWatch watch = new CommitPastLogWatch(GRACE);
    assertThat(watch.wedged(395, 162, 1_000)).isFalse();
    assertThat(watch.wedged(395, 162, 1_000 + GRACE - 1)).isFalse();
    assertThat(watch.wedged(395, 162, 1_000 + GRACE)).isTrue();
  }

  @Test
  void aLogThatCatchesUpInBetweenStartsTheGracePeriodAgain() {
    CommitPastLogWatch watch = new CommitPastLogWatch(GRACE);
    assertThat(watch.wedged(395, 162, 0)).isFalse();
    assertThat(watch.wedged(400, 400, GRACE - 1)).isFalse();
    assertThat(watch.wedged(500, 420, GRACE)).isFalse();
    assertThat(watch.wedged(500, 420, 2 * GRACE - 1)).isFalse();
    assertThat(watch.wedged(500, 420, 2 * GRACE)).isTrue();
  }
}
