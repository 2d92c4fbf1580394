package io.horae.statemachine.core.schedule;

import static io.horae.api.v1.Cron.DstGap.DST_GAP_SHIFT;
import static io.horae.api.v1.Cron.DstGap.DST_GAP_SKIP;
import static io.horae.api.v1.Cron.DstGap.DST_GAP_UNSPECIFIED;
import static io.horae.api.v1.Cron.DstOverlap.DST_OVERLAP_BOTH;
import static io.horae.api.v1.Cron.DstOverlap.DST_OVERLAP_FIRST;
import static io.horae.api.v1.Cron.DstOverlap.DST_OVERLAP_LAST;
import static io.horae.api.v1.Cron.DstOverlap.DST_OVERLAP_UNSPECIFIED;
import static io.horae.statemachine.core.schedule.TestSchedules.MINUTE_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.cron;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Schedule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: each daylight-saving policy fires where docs/schedules.md says, on three kinds of night: a
 * one-hour change (Europe/Berlin), a half-hour one (Australia/Lord_Howe) and a skipped day
 * (Pacific/Apia, 2011-12-30). Each case follows a schedule from a start as the cluster would (each
 * next occurrence computed from the previous one) and lists the fires as local times with their
 * offsets, so that it reads like a calendar.
 */
class DstPolicyTest {

  private static final String BERLIN = "Europe/Berlin";
  private static final String LORD_HOWE = "Australia/Lord_Howe";
  private static final String APIA = "Pacific/Apia";

  /** The first {@code count} fires from {@code from}, each computed from the previous one. */
  private static List<Long> fires(Schedule s, String from, int count) {
    List<Long> fires = new ArrayList<>();
    long fireMs = ScheduleMath.firstFire(s, ms(from));
    for (int i = 1; i <= count && fireMs != 0; i++) {
      fires.add(fireMs);
      fireMs = ScheduleMath.nextFire(s, fireMs, i, fireMs, MINUTE_MS);
    }
    return fires;
  }

  private static List<Long> times(String... isoWithOffsets) {
    return List.of(isoWithOffsets).stream().map(TestSchedules::ms).toList();
  }

  private static Schedule berlin(String expression, Cron.DstGap gap, Cron.DstOverlap overlap) {
    return cron(expression, BERLIN, gap, overlap);
  }

  // Europe/Berlin 2026-03-29: 02:00 +01:00 jumps to 03:00 +02:00.
  // Europe/Berlin 2026-10-25: 03:00 +02:00 falls back to 02:00 +01:00; 02:00-02:59 happen twice.

  @Test
  void shiftFiresASkippedDailyTimeWhenTheClockJumpsOverItInBerlin() {
    Schedule s = berlin("30 2 * * *", DST_GAP_SHIFT, DST_OVERLAP_FIRST);

    assertThat(fires(s, "2026-03-28T00:00+01:00", 3))
        .containsExactlyElementsOf(
            times("2026-03-28T02:30+01:00", "2026-03-29T03:00+02:00", "2026-03-30T02:30+02:00"));
  }

  @Test
  void skipLeavesTheSpringForwardDayWithoutTheSkippedTimeInBerlin() {
    Schedule s = berlin("30 2 * * *", DST_GAP_SKIP, DST_OVERLAP_FIRST);

    assertThat(fires(s, "2026-03-28T00:00+01:00", 3))
        .containsExactlyElementsOf(
            times("2026-03-28T02:30+01:00", "2026-03-30T02:30+02:00", "2026-03-31T02:30+02:00"));
  }

  @Test
  void skipDropsOnlyTheSkippedTimesOfAnHalfHourlyJobInBerlin() {
    Schedule shift = berlin("30 * * * *", DST_GAP_SHIFT, DST_OVERLAP_FIRST);
    Schedule skip = berlin("30 * * * *", DST_GAP_SKIP, DST_OVERLAP_FIRST);

    assertThat(fires(shift, "2026-03-29T01:00+01:00", 3))
        .containsExactlyElementsOf(
            times("2026-03-29T01:30+01:00", "2026-03-29T03:00+02:00", "2026-03-29T03:30+02:00"));
    assertThat(fires(skip, "2026-03-29T01:00+01:00", 3))
        .containsExactlyElementsOf(
            times("2026-03-29T01:30+01:00", "2026-03-29T03:30+02:00", "2026-03-29T04:30+02:00"));
  }

  @Test
  void firstLastAndBothPickTheShowingsOfARepeatedDailyTimeInBerlin() {
    String from = "2026-10-24T00:00+02:00";

    assertThat(fires(berlin("30 2 * * *", DST_GAP_SHIFT, DST_OVERLAP_FIRST), from, 3))
        .containsExactlyElementsOf(
            times("2026-10-24T02:30+02:00", "2026-10-25T02:30+02:00", "2026-10-26T02:30+01:00"));
    assertThat(fires(berlin("30 2 * * *", DST_GAP_SHIFT, DST_OVERLAP_LAST), from, 3))
        .containsExactlyElementsOf(
            times("2026-10-24T02:30+02:00", "2026-10-25T02:30+01:00", "2026-10-26T02:30+01:00"));
    assertThat(fires(berlin("30 2 * * *", DST_GAP_SHIFT, DST_OVERLAP_BOTH), from, 4))
        .containsExactlyElementsOf(
            times(
                "2026-10-24T02:30+02:00",
                "2026-10-25T02:30+02:00",
                "2026-10-25T02:30+01:00",
                "2026-10-26T02:30+01:00"));
  }

  @Test
  void anHourlyJobUnderLastSkipsTheFirstPassAndUnderBothFiresInEachInBerlin() {
    String from = "2026-10-25T01:00+02:00";

    assertThat(fires(berlin("0 * * * *", DST_GAP_SHIFT, DST_OVERLAP_LAST), from, 3))
        .containsExactlyElementsOf(
            times("2026-10-25T01:00+02:00", "2026-10-25T02:00+01:00", "2026-10-25T03:00+01:00"));
    assertThat(fires(berlin("0 * * * *", DST_GAP_SHIFT, DST_OVERLAP_BOTH), from, 4))
        .containsExactlyElementsOf(
            times(
                "2026-10-25T01:00+02:00",
                "2026-10-25T02:00+02:00",
                "2026-10-25T02:00+01:00",
                "2026-10-25T03:00+01:00"));
  }

  @Test
  void unspecifiedPoliciesAreShiftAndFirst() {
    Schedule unspecified = berlin("*/20 * * * *", DST_GAP_UNSPECIFIED, DST_OVERLAP_UNSPECIFIED);
    Schedule explicit = berlin("*/20 * * * *", DST_GAP_SHIFT, DST_OVERLAP_FIRST);

    for (String from : List.of("2026-03-29T00:00+01:00", "2026-10-25T00:00+02:00")) {
      assertThat(fires(unspecified, from, 12)).isEqualTo(fires(explicit, from, 12));
    }
  }

  @Test
  void aJobCreatedInTheSecondPassUnderLastStillFiresTheRepeatedTime() {
    Schedule last = berlin("30 2 * * *", DST_GAP_SHIFT, DST_OVERLAP_LAST);
    Schedule first = berlin("30 2 * * *", DST_GAP_SHIFT, DST_OVERLAP_FIRST);

    // 02:10 +01:00 is in the second pass: 02:30 was shown at +02:00 and will be again at +01:00.
    assertThat(ScheduleMath.firstFire(last, ms("2026-10-25T02:10+01:00")))
        .isEqualTo(ms("2026-10-25T02:30+01:00"));
    assertThat(ScheduleMath.firstFire(first, ms("2026-10-25T02:10+01:00")))
        .isEqualTo(ms("2026-10-26T02:30+01:00"));
  }

  @Test
  void missedOccurrencesCoalesceIntoTheLatestOneThePolicyFires() {
    // Three days behind, woken in the second pass of the repeated hour.
    long scheduledMs = ms("2026-10-22T02:30+02:00");
    long nowMs = ms("2026-10-25T02:40+01:00");

    assertThat(
            ScheduleMath.nextFire(
                berlin("30 2 * * *", DST_GAP_SHIFT, DST_OVERLAP_FIRST),
                scheduledMs,
                1,
                nowMs,
                MINUTE_MS))
        .isEqualTo(ms("2026-10-25T02:30+02:00"));
    assertThat(
            ScheduleMath.nextFire(
                berlin("30 2 * * *", DST_GAP_SHIFT, DST_OVERLAP_LAST),
                scheduledMs,
                1,
                nowMs,
                MINUTE_MS))
        .isEqualTo(ms("2026-10-25T02:30+01:00"));
  }

  // Australia/Lord_Howe 2026-10-04: 02:00 +10:30 jumps to 02:30 +11:00.
  // Australia/Lord_Howe 2026-04-05: 02:00 +11:00 falls back to 01:30 +10:30.

  @Test
  void halfHourGapShiftsOrSkipsInLordHowe() {
    String from = "2026-10-03T00:00+10:30";

    assertThat(fires(cron("15 2 * * *", LORD_HOWE, DST_GAP_SHIFT, DST_OVERLAP_FIRST), from, 3))
        .containsExactlyElementsOf(
            times("2026-10-03T02:15+10:30", "2026-10-04T02:30+11:00", "2026-10-05T02:15+11:00"));
    assertThat(fires(cron("15 2 * * *", LORD_HOWE, DST_GAP_SKIP, DST_OVERLAP_FIRST), from, 3))
        .containsExactlyElementsOf(
            times("2026-10-03T02:15+10:30", "2026-10-05T02:15+11:00", "2026-10-06T02:15+11:00"));
  }

  @Test
  void halfHourOverlapFiresFirstLastOrBothInLordHowe() {
    String from = "2026-04-04T00:00+11:00";

    assertThat(fires(cron("45 1 * * *", LORD_HOWE, DST_GAP_SHIFT, DST_OVERLAP_FIRST), from, 3))
        .containsExactlyElementsOf(
            times("2026-04-04T01:45+11:00", "2026-04-05T01:45+11:00", "2026-04-06T01:45+10:30"));
    assertThat(fires(cron("45 1 * * *", LORD_HOWE, DST_GAP_SHIFT, DST_OVERLAP_LAST), from, 3))
        .containsExactlyElementsOf(
            times("2026-04-04T01:45+11:00", "2026-04-05T01:45+10:30", "2026-04-06T01:45+10:30"));
    assertThat(fires(cron("45 1 * * *", LORD_HOWE, DST_GAP_SHIFT, DST_OVERLAP_BOTH), from, 4))
        .containsExactlyElementsOf(
            times(
                "2026-04-04T01:45+11:00",
                "2026-04-05T01:45+11:00",
                "2026-04-05T01:45+10:30",
                "2026-04-06T01:45+10:30"));
  }

  @Test
  void aQuarterHourlyJobUnderBothFiresTheRepeatedHalfHourTwiceInLordHowe() {
    Schedule s = cron("*/15 * * * *", LORD_HOWE, DST_GAP_SKIP, DST_OVERLAP_BOTH);

    assertThat(fires(s, "2026-04-05T01:00+11:00", 7))
        .containsExactlyElementsOf(
            times(
                "2026-04-05T01:00+11:00",
                "2026-04-05T01:15+11:00",
                "2026-04-05T01:30+11:00",
                "2026-04-05T01:45+11:00",
                "2026-04-05T01:30+10:30",
                "2026-04-05T01:45+10:30",
                "2026-04-05T02:00+10:30"));
  }

  // Pacific/Apia 2011-12-30: midnight -10:00 jumps to midnight +14:00 on the 31st; the 30th has
  // no local time at all.

  @Test
  void aDailyTimeOnTheSkippedDayShiftsToMidnightOrIsSkippedInApia() {
    String from = "2011-12-29T00:00-10:00";

    assertThat(fires(cron("0 12 * * *", APIA, DST_GAP_SHIFT, DST_OVERLAP_FIRST), from, 3))
        .containsExactlyElementsOf(
            times("2011-12-29T12:00-10:00", "2011-12-31T00:00+14:00", "2011-12-31T12:00+14:00"));
    assertThat(fires(cron("0 12 * * *", APIA, DST_GAP_SKIP, DST_OVERLAP_FIRST), from, 3))
        .containsExactlyElementsOf(
            times("2011-12-29T12:00-10:00", "2011-12-31T12:00+14:00", "2012-01-01T12:00+14:00"));
  }

  @Test
  void aJobForEveryTimeOfTheSkippedDayFiresOnceUnderShiftAndNotAtAllUnderSkipInApia() {
    String from = "2011-12-29T23:00-10:00";

    assertThat(fires(cron("* * 30 12 *", APIA, DST_GAP_SHIFT, DST_OVERLAP_FIRST), from, 2))
        .containsExactlyElementsOf(times("2011-12-31T00:00+14:00", "2012-12-30T00:00+14:00"));
    assertThat(fires(cron("* * 30 12 *", APIA, DST_GAP_SKIP, DST_OVERLAP_FIRST), from, 1))
        .containsExactlyElementsOf(times("2012-12-30T00:00+14:00"));
  }

  @Test
  void farApartMatchesAreFoundAcrossManyTransitionsBothWays() {
    Schedule s = berlin("0 12 29 2 *", DST_GAP_SKIP, DST_OVERLAP_BOTH);

    assertThat(ScheduleMath.firstFire(s, ms("2097-01-01T00:00Z")))
        .isEqualTo(ms("2104-02-29T12:00+01:00"));
    assertThat(CronTimes.of(s.getCron()).latestAtOrBefore(ms("2103-12-31T00:00Z")))
        .isEqualTo(ms("2096-02-29T12:00+01:00"));
  }
}
