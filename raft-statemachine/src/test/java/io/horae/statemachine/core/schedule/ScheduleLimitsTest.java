package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.HOUR_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.MINUTE_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.at;
import static io.horae.statemachine.core.schedule.TestSchedules.cron;
import static io.horae.statemachine.core.schedule.TestSchedules.every;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.api.v1.Schedule;
import org.junit.jupiter.api.Test;

/**
 * Goal: end_at_ms (inclusive) and max_fires stop a schedule exactly where they say, also when
 * missed occurrences are coalesced, and one-shot schedules never fire twice.
 */
class ScheduleLimitsTest {

  private static final long NOW_MS = ms("2026-11-25T10:00:00Z");
  private static final long GRACE_MS = MINUTE_MS;

  private static Schedule hourly() {
    return every(HOUR_MS, NOW_MS);
  }

  @Test
  void oneShotHasNoNextFire() {
    assertThat(ScheduleMath.nextFire(at(NOW_MS), NOW_MS, 1, NOW_MS, GRACE_MS)).isZero();
  }

  @Test
  void oneShotSlightlyInThePastStillFiresAtItsTime() {
    assertThat(ScheduleMath.firstFire(at(NOW_MS - 2_000), NOW_MS)).isEqualTo(NOW_MS - 2_000);
  }

  @Test
  void endAtIsInclusive() {
    Schedule s = hourly().toBuilder().setEndAtMs(NOW_MS + 2 * HOUR_MS).build();

    assertThat(ScheduleMath.nextFire(s, NOW_MS + HOUR_MS, 2, NOW_MS + HOUR_MS, GRACE_MS))
        .isEqualTo(NOW_MS + 2 * HOUR_MS);
    assertThat(ScheduleMath.nextFire(s, NOW_MS + 2 * HOUR_MS, 3, NOW_MS + 2 * HOUR_MS, GRACE_MS))
        .isZero();
  }

  @Test
  void firstFireAfterEndAtIsNone() {
    Schedule s = every(HOUR_MS, NOW_MS + HOUR_MS).toBuilder().setEndAtMs(NOW_MS).build();
    Schedule oneShot = at(NOW_MS + 1).toBuilder().setEndAtMs(NOW_MS).build();

    assertThat(ScheduleMath.firstFire(s, NOW_MS)).isZero();
    assertThat(ScheduleMath.firstFire(oneShot, NOW_MS)).isZero();
  }

  @Test
  void cronStopsAtEndAt() {
    Schedule s =
        cron("0 9 * * *", "UTC").toBuilder().setEndAtMs(ms("2026-11-26T08:59:59Z")).build();

    assertThat(ScheduleMath.firstFire(s, NOW_MS)).isZero();
  }

  @Test
  void maxFiresAllowsExactlyThatManyOccurrences() {
    Schedule s = hourly().toBuilder().setMaxFires(3).build();
    long fireMs = ScheduleMath.firstFire(s, NOW_MS);
    int fires = 0;
    while (fireMs != 0) {
      fires++;
      fireMs = ScheduleMath.nextFire(s, fireMs, fires, fireMs, GRACE_MS);
    }

    assertThat(fires).isEqualTo(3);
  }

  @Test
  void maxFiresOfOneAllowsOnlyTheFirst() {
    Schedule s = hourly().toBuilder().setMaxFires(1).build();

    assertThat(ScheduleMath.firstFire(s, NOW_MS)).isEqualTo(NOW_MS);
    assertThat(ScheduleMath.nextFire(s, NOW_MS, 1, NOW_MS, GRACE_MS)).isZero();
  }

  @Test
  void coalescingAfterEndAtFiresTheLastOccurrenceBeforeEndAtOnce() {
    // Down from 10:00 to 20:30; the schedule ended at 15:30, so 15:00 stands for 11:00..15:00.
    Schedule s = hourly().toBuilder().setEndAtMs(NOW_MS + 5 * HOUR_MS + 30 * MINUTE_MS).build();
    long nowMs = NOW_MS + 10 * HOUR_MS + 30 * MINUTE_MS;

    long coalescedMs = ScheduleMath.nextFire(s, NOW_MS, 1, nowMs, GRACE_MS);

    assertThat(coalescedMs).isEqualTo(NOW_MS + 5 * HOUR_MS);
    assertThat(ScheduleMath.nextFire(s, coalescedMs, 2, nowMs, GRACE_MS)).isZero();
  }

  @Test
  void coalescedFireCountsAsOneTowardsMaxFires() {
    Schedule s = hourly().toBuilder().setMaxFires(2).build();
    long nowMs = NOW_MS + 10 * HOUR_MS + 30 * MINUTE_MS;

    long coalescedMs = ScheduleMath.nextFire(s, NOW_MS, 1, nowMs, GRACE_MS);

    assertThat(coalescedMs).isEqualTo(NOW_MS + 10 * HOUR_MS);
    assertThat(ScheduleMath.nextFire(s, coalescedMs, 2, nowMs, GRACE_MS)).isZero();
  }

  @Test
  void firesSoFarBelowOneIsAProgrammerError() {
    assertThatThrownBy(() -> ScheduleMath.nextFire(hourly(), NOW_MS, 0, NOW_MS, GRACE_MS))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unnormalizedScheduleIsAProgrammerError() {
    Schedule after = TestSchedules.after(MINUTE_MS);

    assertThatThrownBy(() -> ScheduleMath.firstFire(after, NOW_MS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not normalized");
  }
}
