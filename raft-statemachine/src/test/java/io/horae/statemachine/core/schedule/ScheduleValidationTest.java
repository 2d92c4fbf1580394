package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.DAY_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.MINUTE_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.SECOND_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.after;
import static io.horae.statemachine.core.schedule.TestSchedules.at;
import static io.horae.statemachine.core.schedule.TestSchedules.cron;
import static io.horae.statemachine.core.schedule.TestSchedules.every;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Schedule;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: every rule of ScheduleMath.validate reports a violation on the right proto field, with a
 * description a user can act on, and valid schedules pass. Each test feeds one schedule as a create
 * request would carry it, with a fixed "now".
 */
class ScheduleValidationTest {

  private static final long NOW_MS = ms("2026-11-25T10:00:00Z");
  private static final long TOLERANCE_MS = 5 * SECOND_MS;
  private static final long MIN_INTERVAL_MS = SECOND_MS;

  private static List<Violation> validate(Schedule s) {
    return ScheduleMath.validate(s, NOW_MS, TOLERANCE_MS, MIN_INTERVAL_MS);
  }

  private static List<String> fields(Schedule s) {
    return validate(s).stream().map(Violation::field).toList();
  }

  @Test
  void scheduleWithoutKindIsRejected() {
    assertThat(fields(Schedule.getDefaultInstance())).containsExactly("schedule");
  }

  @Test
  void atFurtherInThePastThanTheToleranceIsRejected() {
    List<Violation> violations = validate(at(NOW_MS - TOLERANCE_MS - 1));

    assertThat(violations).extracting(Violation::field).containsExactly("schedule.at_ms");
    assertThat(violations.getFirst().description()).contains("in the past", "5000 ms");
  }

  @ParameterizedTest
  @ValueSource(longs = {-TOLERANCE_MS, -1, 0, 1, DAY_MS})
  void atWithinTheToleranceOrInTheFutureIsAccepted(long offsetFromNowMs) {
    assertThat(validate(at(NOW_MS + offsetFromNowMs))).isEmpty();
  }

  @Test
  void atAfterYear9999IsRejected() {
    assertThat(fields(at(ScheduleValidator.TIME_MS_MAX + 1))).containsExactly("schedule.at_ms");
  }

  @ParameterizedTest
  @ValueSource(longs = {-1, Long.MIN_VALUE, Long.MAX_VALUE})
  void negativeOrOverflowingAfterIsRejected(long afterMs) {
    assertThat(fields(after(afterMs))).containsExactly("schedule.after_ms");
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 90 * SECOND_MS})
  void zeroOrPositiveAfterIsAccepted(long afterMs) {
    assertThat(validate(after(afterMs))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, -MINUTE_MS, Long.MIN_VALUE})
  void zeroOrNegativeIntervalIsRejected(long intervalMs) {
    assertThat(fields(every(intervalMs, 0))).containsExactly("schedule.every.interval_ms");
  }

  @Test
  void intervalBelowTheMinimumIsRejectedNamingTheMinimum() {
    List<Violation> violations = ScheduleMath.validate(every(999, 0), NOW_MS, 0, 1000);

    assertThat(violations)
        .extracting(Violation::field)
        .containsExactly("schedule.every.interval_ms");
    assertThat(violations.getFirst().description()).contains("999", "at least 1000");
  }

  @Test
  void intervalAtTheMinimumIsAccepted() {
    assertThat(ScheduleMath.validate(every(1000, 0), NOW_MS, 0, 1000)).isEmpty();
  }

  @Test
  void pastAnchorIsAcceptedBecauseTheGridContinuesFromNow() {
    assertThat(validate(every(MINUTE_MS, NOW_MS - 365 * DAY_MS))).isEmpty();
  }

  @Test
  void negativeAnchorIsRejected() {
    assertThat(fields(every(MINUTE_MS, -1))).containsExactly("schedule.every.anchor_ms");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "61 * * * *     | Value 61 not in range [0, 59]",
        "* * *          | contains 3 parts",
        "0 0 * * 1#2    | Invalid expression: 1#2",
        "0 22-2 * * *   | Invalid range! [22,2]",
        "@reboot        | unknown nickname '@reboot'",
        "'' | Empty expression"
      })
  void invalidCronIsRejectedWithTheParsersReason(String expression, String reason) {
    List<Violation> violations = validate(cron(expression, "UTC"));

    assertThat(violations).extracting(Violation::field).containsExactly("schedule.cron.expression");
    assertThat(violations.getFirst().description()).contains(reason);
  }

  @Test
  void cronLongerThanTheLimitIsRejected() {
    String expression = "0 0 * * " + "1,".repeat(CronExpressions.EXPRESSION_CHARS_MAX) + "2";

    assertThat(validate(cron(expression, "UTC")))
        .singleElement()
        .satisfies(v -> assertThat(v.description()).contains("at most 256"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "*/5 * 31 2 *"})
  void cronThatNeverFiresIsRejected(String expression) {
    assertThat(validate(cron(expression, "Europe/Berlin")))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("schedule.cron.expression");
              assertThat(v.description()).contains("never fires");
            });
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0 0 29 2 *",
        "0 0 30 2 1",
        "0 9 * * MON-FRI",
        "*/15 * * * *",
        "@daily",
        "@hourly"
      })
  void rareOrOrdinaryCronIsAccepted(String expression) {
    assertThat(validate(cron(expression, ""))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Mars/Olympus",
        "europe/berlin",
        "SystemV/EST5",
        "+01:00",
        "GMT+1",
        "UTC+01:00",
        " "
      })
  void unknownOrNonIanaTimeZoneIsRejected(String zone) {
    assertThat(fields(cron("0 9 * * *", zone))).containsExactly("schedule.cron.time_zone");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "UTC", "Z", "Europe/Berlin", "America/New_York", "Etc/GMT+5"})
  void ianaTimeZoneUtcOrEmptyIsAccepted(String zone) {
    assertThat(validate(cron("0 9 * * *", zone))).isEmpty();
  }

  @Test
  void unknownDstPolicyValuesAreRejectedNamingTheirFields() {
    Schedule s =
        Schedule.newBuilder()
            .setCron(
                Cron.newBuilder()
                    .setExpression("30 2 * * *")
                    .setTimeZone("Europe/Berlin")
                    .setDstGapValue(7)
                    .setDstOverlapValue(9))
            .build();

    List<Violation> violations = validate(s);

    assertThat(violations)
        .extracting(Violation::field)
        .containsExactly("schedule.cron.dst_gap", "schedule.cron.dst_overlap");
    assertThat(violations.get(0).description()).contains("7", "DST_GAP_SKIP");
    assertThat(violations.get(1).description()).contains("9", "DST_OVERLAP_BOTH");
  }

  @Test
  void everyKnownDstPolicyIsAccepted() {
    for (Cron.DstGap gap : Cron.DstGap.values()) {
      for (Cron.DstOverlap overlap : Cron.DstOverlap.values()) {
        if (gap != Cron.DstGap.UNRECOGNIZED && overlap != Cron.DstOverlap.UNRECOGNIZED) {
          assertThat(validate(cron("30 2 * * *", "Europe/Berlin", gap, overlap)))
              .as("%s %s", gap, overlap)
              .isEmpty();
        }
      }
    }
  }

  @Test
  void negativeMaxFiresAndEndAtAreRejected() {
    Schedule s = every(MINUTE_MS, 0).toBuilder().setMaxFires(-1).setEndAtMs(-1).build();

    assertThat(fields(s)).containsExactlyInAnyOrder("schedule.max_fires", "schedule.end_at_ms");
  }

  @Test
  void endAtBeforeTheFirstFireIsRejected() {
    Schedule s = at(NOW_MS + DAY_MS).toBuilder().setEndAtMs(NOW_MS + DAY_MS - 1).build();

    assertThat(validate(s))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("schedule.end_at_ms");
              assertThat(v.description())
                  .contains("before the first fire", "(2026-11-26T10:00:00Z)");
            });
  }

  @Test
  void endAtBeforeTheFirstCronFireIsRejected() {
    // Weekdays at 09:00 Berlin; 2026-11-28 is a Saturday, so the first fire is Monday 08:00Z.
    Schedule s =
        cron("0 9 * * 1-5", "Europe/Berlin").toBuilder()
            .setEndAtMs(ms("2026-11-30T07:59:59Z"))
            .build();

    assertThat(ScheduleMath.validate(s, ms("2026-11-28T12:00:00Z"), 0, 0))
        .extracting(Violation::field)
        .containsExactly("schedule.end_at_ms");
  }

  @Test
  void endAtEqualToTheFirstFireIsAccepted() {
    Schedule s = after(MINUTE_MS).toBuilder().setEndAtMs(NOW_MS + MINUTE_MS).build();

    assertThat(validate(s)).isEmpty();
  }

  @Test
  void allProblemsAreReportedTogether() {
    Schedule s = cron("61 * * * *", "Mars/Olympus").toBuilder().setMaxFires(-3).build();

    assertThat(fields(s))
        .containsExactly(
            "schedule.cron.expression", "schedule.cron.time_zone", "schedule.max_fires");
  }

  @Test
  void negativeToleranceIsAProgrammerError() {
    assertThatThrownBy(() -> ScheduleMath.validate(at(NOW_MS), NOW_MS, -1, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
