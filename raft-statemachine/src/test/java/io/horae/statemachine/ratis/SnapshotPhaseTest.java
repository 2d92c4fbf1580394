package io.horae.statemachine.ratis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotPhaseTest {
  static final long EVERY = 10_000;

  @Test
  void theMembersOfAFreshGroupTakeTheirFirstSnapshotsAThirdOfAnIntervalApart() {
    assertThat(new SnapshotPhase(0, 3).due(0, EVERY)).isEqualTo(10_000);
    assertThat(new SnapshotPhase(1, 3).due(0, EVERY)).isEqualTo(13_333);
    assertThat(new SnapshotPhase(2, 3).due(0, EVERY)).isEqualTo(16_666);
  }

  @Test
  void aSnapshotTakenAFewEntriesAfterItsPointKeepsTheNextOneAtTheNextPoint() {
    SnapshotPhase second = new SnapshotPhase(1, 3);
    assertThat(second.due(13_333, EVERY)).isEqualTo(23_333);
    assertThat(second.due(13_340, EVERY)).isEqualTo(23_333);
    assertThat(second.due(13_333 + 1_600, EVERY)).isEqualTo(23_333);
    // Ratis asks from 8,334 entries after the last snapshot, before the next point.
    assertThat(second.askFrom(EVERY)).isEqualTo(8_334);
  }

  @Test
  void theNextSnapshotIsNeverDueBeforeRatisAsksNorTwoIntervalsLater() {
    for (int count = 1; count <= 5; count++) {
      for (int position = 0; position < count; position++) {
        SnapshotPhase phase = new SnapshotPhase(position, count);
        for (long base = 0; base < 3 * EVERY; base += 137) {
          long due = phase.due(base, EVERY);
          // Ratis asks once the log is an interval past the last snapshot; a point before that
          // would be taken late, at whatever index Ratis asks.
          assertThat(due)
              .as("%s after %d", phase, base)
              .isGreaterThanOrEqualTo(base + phase.askFrom(EVERY));
          assertThat(due - base).as("%s after %d", phase, base).isLessThan(2 * EVERY);
        }
      }
    }
  }

  @Test
  void withOneMemberOrNoPhaseTheSnapshotIsDueAnIntervalAfterTheLast() {
    assertThat(SnapshotPhase.NONE.due(0, EVERY)).isEqualTo(EVERY);
    assertThat(new SnapshotPhase(0, 1).due(12_345, EVERY)).isEqualTo(22_345);
  }

  @Test
  void ratisAskingAfterEachRunOfEntriesGivesEachMemberItsOwnPlaceInTheInterval() {
    // Ratis asks after each run of applied entries once the log is its threshold past the last
    // snapshot; the member declines until its point. Runs of up to 7 entries: no drift.
    for (int position = 0; position < 3; position++) {
      SnapshotPhase phase = new SnapshotPhase(position, 3);
      List<Long> taken = new ArrayList<>();
      long base = 0;
      for (long applied = 0; applied < 10 * EVERY; applied += 1 + applied % 7) {
        if (applied - base >= phase.askFrom(EVERY) && applied >= phase.due(base, EVERY)) {
          taken.add(applied);
          base = applied;
        }
      }
      long offset = position * (EVERY / 3);
      assertThat(taken).hasSizeGreaterThanOrEqualTo(8);
      assertThat(taken)
          .as("position %d", position)
          .allSatisfy(i -> assertThat(Math.floorMod(i - offset, EVERY)).isLessThan(10));
    }
  }

  @Test
  void aPositionOutsideTheGroupIsRefused() {
    assertThatThrownBy(() -> new SnapshotPhase(3, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SnapshotPhase(-1, 3)).isInstanceOf(IllegalArgumentException.class);
  }
}
