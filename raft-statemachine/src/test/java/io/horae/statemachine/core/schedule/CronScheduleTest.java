package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.MINUTE_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.cron;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Schedule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Goal: cron schedules fire at the right instants in their zone, including across daylight-saving
 * transitions, where the rule is "a wall-clock time fires at the first instant the zone's clock
 * shows it or later" (the default policies, see CronTimes). Expected values are written as local
 * times with explicit offsets so that each case reads like a calendar. cron-utils alone fails the
 * DST cases here.
 */
class CronScheduleTest {

  /** Follows a normalized schedule from createdMs, as the state machine would, with no misfires. */
  private static List<Long> fires(Schedule s, long createdMs, int count) {
    List<Long> fires = new ArrayList<>();
    long fireMs = ScheduleMath.firstFire(s, createdMs);
    for (int i = 1; i <= count && fireMs != 0; i++) {
      fires.add(fireMs);
      fireMs = ScheduleMath.nextFire(s, fireMs, i, fireMs, MINUTE_MS);
    }
    return fires;
  }

  private static List<Long> times(String... isoWithOffsets) {
    List<Long> times = new ArrayList<>();
    for (String iso : isoWithOffsets) {
      times.add(TestSchedules.ms(iso));
    }
    return times;
  }

  @Test
  void weekdaysAtNineInBerlinSkipTheWeekendAndFollowSummerTime() {
    Schedule s = cron("0 9 * * 1-5", "Europe/Berlin");

    // Friday 2026-03-27 is in winter time (+01:00); Monday 03-30 is in summer time (+02:00).
    assertThat(fires(s, ms("2026-03-27T08:00:00Z"), 3))
        .containsExactlyElementsOf(
            times("2026-03-27T09:00+01:00", "2026-03-30T09:00+02:00", "2026-03-31T09:00+02:00"));
  }

  @Test
  void firstFireIsAtOrAfterNow() {
    Schedule s = cron("0 9 * * 1-5", "Europe/Berlin");
    long nineOClockMs = ms("2026-11-25T09:00+01:00");

    assertThat(ScheduleMath.firstFire(s, nineOClockMs)).isEqualTo(nineOClockMs);
    assertThat(ScheduleMath.firstFire(s, nineOClockMs + 1)).isEqualTo(ms("2026-11-26T09:00+01:00"));
  }

  @Test
  void dailyJobInTheSpringForwardGapFiresAtTheTransitionInBerlin() {
    // 2026-03-29: clocks jump from 02:00 +01:00 to 03:00 +02:00; 02:30 does not exist that day.
    Schedule s = cron("30 2 * * *", "Europe/Berlin");

    assertThat(fires(s, ms("2026-03-28T00:00+01:00"), 3))
        .containsExactlyElementsOf(
            times("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00"));
  }

  @Test
  void dailyJobInTheFallBackOverlapFiresOnceInBerlin() {
    // 2026-10-25: clocks fall back from 03:00 +02:00 to 02:00 +01:00; 02:30 happens twice.
    Schedule s = cron("30 2 * * *", "Europe/Berlin");

    assertThat(fires(s, ms("2026-10-24T00:00+02:00"), 3))
        .containsExactlyElementsOf(
            times("2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"));
  }

  @Test
  void jobCreatedDuringTheRepeatedHourDoesNotFireAgainForAWallTimeAlreadyShown() {
    Schedule s = cron("30 2 * * *", "Europe/Berlin");

    // 02:10 +01:00 is the second pass; 02:30 was already shown at 02:30 +02:00.
    assertThat(ScheduleMath.firstFire(s, ms("2026-10-25T02:10+01:00")))
        .isEqualTo(ms("2026-10-26T02:30+01:00"));
    // In the first pass it has not been shown yet.
    assertThat(ScheduleMath.firstFire(s, ms("2026-10-25T02:10+02:00")))
        .isEqualTo(ms("2026-10-25T02:30+02:00"));
  }

  @Test
  void hourlyJobSkipsTheRepeatedHourAndFiresOnceForTheSkippedHourInBerlin() {
    Schedule s = cron("0 * * * *", "Europe/Berlin");

    assertThat(fires(s, ms("2026-10-25T01:00+02:00"), 4))
        .containsExactlyElementsOf(
            times(
                "2026-10-25T01:00+02:00",
                "2026-10-25T02:00+02:00",
                "2026-10-25T03:00+01:00",
                "2026-10-25T04:00+01:00"));
    assertThat(fires(s, ms("2026-03-29T01:00+01:00"), 3))
        .containsExactlyElementsOf(
            times("2026-03-29T01:00+01:00", "2026-03-29T03:00+02:00", "2026-03-29T04:00+02:00"));
  }

  @Test
  void springForwardAndFallBackInNewYork() {
    // 2026-03-08: 02:00 -05:00 jumps to 03:00 -04:00.
    // 2026-11-01: 02:00 -04:00 falls back to 01:00 -05:00.
    assertThat(fires(cron("30 2 * * *", "America/New_York"), ms("2026-03-07T12:00-05:00"), 3))
        .containsExactlyElementsOf(
            times("2026-03-08T03:00-04:00", "2026-03-09T02:30-04:00", "2026-03-10T02:30-04:00"));
    assertThat(fires(cron("30 1 * * *", "America/New_York"), ms("2026-10-31T12:00-04:00"), 3))
        .containsExactlyElementsOf(
            times("2026-11-01T01:30-04:00", "2026-11-02T01:30-05:00", "2026-11-03T01:30-05:00"));
    assertThat(fires(cron("*/30 * * * *", "America/New_York"), ms("2026-11-01T01:00-04:00"), 4))
        .containsExactlyElementsOf(
            times(
                "2026-11-01T01:00-04:00",
                "2026-11-01T01:30-04:00",
                "2026-11-01T02:00-05:00",
                "2026-11-01T02:30-05:00"));
  }

  @Test
  void leapDayJobWaitsForTheNextLeapYearSkipping2100() {
    Schedule s = cron("0 12 29 2 *", "UTC");

    assertThat(fires(s, ms("2097-01-01T00:00Z"), 1)).containsExactly(ms("2104-02-29T12:00Z"));
  }

  @ParameterizedTest
  @CsvSource({
    "@yearly,   0 0 1 1 *",
    "@annually, 0 0 1 1 *",
    "@monthly,  0 0 1 * *",
    "@weekly,   0 0 * * 0",
    "@daily,    0 0 * * *",
    "@midnight, 0 0 * * *",
    "@hourly,   0 * * * *",
    "@DAILY,    0 0 * * *"
  })
  void nicknamesFireLikeTheirFiveFieldForm(String nickname, String fields) {
    long createdMs = ms("2026-11-25T10:17+01:00");

    assertThat(fires(cron(nickname, "Europe/Berlin"), createdMs, 5))
        .containsExactlyElementsOf(fires(cron(fields, "Europe/Berlin"), createdMs, 5));
  }

  @Test
  void misfiredCronOccurrencesCoalesceIntoTheLatestAtOrBeforeNow() {
    Schedule s = cron("*/15 * * * *", "UTC");
    long scheduledMs = ms("2026-11-25T10:00Z");
    long nowMs = ms("2026-11-25T13:07Z");

    assertThat(ScheduleMath.nextFire(s, scheduledMs, 1, nowMs, MINUTE_MS))
        .isEqualTo(ms("2026-11-25T13:00Z"));
  }

  @Test
  void cronBehindWithinGraceFiresTheNextOccurrence() {
    Schedule s = cron("*/15 * * * *", "UTC");
    long scheduledMs = ms("2026-11-25T10:00Z");

    assertThat(ScheduleMath.nextFire(s, scheduledMs, 1, ms("2026-11-25T10:15:30Z"), MINUTE_MS))
        .isEqualTo(ms("2026-11-25T10:15Z"));
  }

  @Test
  void dayOfMonthAndDayOfWeekTogetherMatchEitherLikeUnixCron() {
    // The 13th, or any Friday.
    Schedule s = cron("0 0 13 * 5", "UTC");

    assertThat(fires(s, ms("2026-11-10T00:00Z"), 3))
        .containsExactlyElementsOf(
            times("2026-11-13T00:00Z", "2026-11-20T00:00Z", "2026-11-27T00:00Z"));
  }

  @Test
  void parsedExpressionCacheStaysWithinItsCapacity() {
    for (int i = 0; i < CronExpressions.PARSED_CAPACITY + 100; i++) {
      CronExpressions.parse((i % 60) + " " + (i / 60) + " * * *");
    }

    assertThat(CronExpressions.cachedCount()).isEqualTo(CronExpressions.PARSED_CAPACITY);
  }
}
