package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.MINUTE_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.after;
import static io.horae.statemachine.core.schedule.TestSchedules.at;
import static io.horae.statemachine.core.schedule.TestSchedules.cron;
import static io.horae.statemachine.core.schedule.TestSchedules.every;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Schedule;
import org.junit.jupiter.api.Test;

/**
 * Goal: normalize turns request-only forms into the stored form (no after_ms, no zero anchor, no
 * empty zone) and leaves everything else, limits included, exactly as it was.
 */
class ScheduleNormalizationTest {

  private static final long NOW_MS = ms("2026-11-25T10:00:00Z");

  @Test
  void afterBecomesAnAbsoluteAtCountedFromNow() {
    Schedule s = after(90_000).toBuilder().setMaxFires(1).build();

    Schedule normalized = ScheduleMath.normalize(s, NOW_MS);

    assertThat(normalized.getKindCase()).isEqualTo(Schedule.KindCase.AT_MS);
    assertThat(normalized.getAtMs()).isEqualTo(NOW_MS + 90_000);
    assertThat(normalized.getMaxFires()).isEqualTo(1);
  }

  @Test
  void zeroAnchorBecomesOneIntervalAfterNow() {
    Schedule normalized = ScheduleMath.normalize(every(5 * MINUTE_MS, 0), NOW_MS);

    assertThat(normalized.getEvery().getAnchorMs()).isEqualTo(NOW_MS + 5 * MINUTE_MS);
    assertThat(normalized.getEvery().getIntervalMs()).isEqualTo(5 * MINUTE_MS);
  }

  @Test
  void explicitAnchorIsKept() {
    Schedule s = every(MINUTE_MS, 12345);

    assertThat(ScheduleMath.normalize(s, NOW_MS)).isEqualTo(s);
  }

  @Test
  void emptyTimeZoneBecomesUtc() {
    Schedule normalized = ScheduleMath.normalize(cron("0 9 * * *", ""), NOW_MS);

    assertThat(normalized.getCron().getTimeZone()).isEqualTo("UTC");
    assertThat(normalized.getCron().getExpression()).isEqualTo("0 9 * * *");
  }

  @Test
  void atAndExplicitZonesAndLimitsAreUnchanged() {
    Schedule atSchedule = at(NOW_MS).toBuilder().setEndAtMs(NOW_MS + 1).build();
    Schedule cronSchedule = cron("@daily", "Europe/Berlin").toBuilder().setMaxFires(7).build();

    assertThat(ScheduleMath.normalize(atSchedule, NOW_MS)).isEqualTo(atSchedule);
    assertThat(ScheduleMath.normalize(cronSchedule, NOW_MS)).isEqualTo(cronSchedule);
  }

  @Test
  void normalizingTwiceChangesNothingMore() {
    for (Schedule s : new Schedule[] {after(1), every(MINUTE_MS, 0), cron("0 * * * *", "")}) {
      Schedule once = ScheduleMath.normalize(s, NOW_MS);

      assertThat(ScheduleMath.normalize(once, NOW_MS + MINUTE_MS)).isEqualTo(once);
    }
  }
}
