package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.MINUTE_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.cron;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Schedule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: a six-field expression (second first) fires at second resolution and otherwise means what
 * its last five fields mean as a five-field expression; a bad expression is refused naming the cron
 * field at fault.
 */
class CronSecondsTest {

  private static final long NOW_MS = ms("2026-11-25T10:00:00Z");

  private static List<Long> fires(Schedule s, long fromMs, int count) {
    List<Long> fires = new ArrayList<>();
    long fireMs = ScheduleMath.firstFire(s, fromMs);
    for (int i = 1; i <= count && fireMs != 0; i++) {
      fires.add(fireMs);
      fireMs = ScheduleMath.nextFire(s, fireMs, i, fireMs, MINUTE_MS);
    }
    return fires;
  }

  @Test
  void aSecondsFieldFiresWithinTheMinute() {
    Schedule s = cron("*/20 * * * * *", "Europe/Berlin");

    assertThat(fires(s, ms("2026-11-25T10:00:05+01:00"), 4))
        .containsExactly(
            ms("2026-11-25T10:00:20+01:00"),
            ms("2026-11-25T10:00:40+01:00"),
            ms("2026-11-25T10:01:00+01:00"),
            ms("2026-11-25T10:01:20+01:00"));
  }

  @Test
  void aTimeWithSecondsInTheRepeatedHourFiresInBothPassesUnderBoth() {
    Schedule s =
        cron(
            "15 30 2 * * *",
            "Europe/Berlin",
            Cron.DstGap.DST_GAP_SHIFT,
            Cron.DstOverlap.DST_OVERLAP_BOTH);

    assertThat(fires(s, ms("2026-10-25T00:00+02:00"), 2))
        .containsExactly(ms("2026-10-25T02:30:15+02:00"), ms("2026-10-25T02:30:15+01:00"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"0 9 * * 1-5", "30 2 * * *", "*/15 * 13 * 5", "0 0 29 2 *", "5 4 * 1,7 SUN"})
  void zeroSecondsThenFiveFieldsFireLikeTheFiveFields(String fiveFields) {
    long fromMs = ms("2026-03-27T00:00+01:00");

    assertThat(fires(cron("0 " + fiveFields, "Europe/Berlin"), fromMs, 20))
        .isEqualTo(fires(cron(fiveFields, "Europe/Berlin"), fromMs, 20));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "61 * * * * *     | second field '61': Value 61 not in range [0, 59]",
        "0 61 * * * *     | minute field '61'",
        "* 24 * * *       | hour field '24'",
        "0 0 0 32 * *     | day-of-month field '32'",
        "0 0 * 13 *       | month field '13'",
        "0 0 0 * * 8      | day-of-week field '8'",
        "0 0 * * * * 2030 | contains 7 parts; expected 5 fields",
        "* * * *          | contains 4 parts"
      })
  void aBadExpressionIsRefusedNamingTheCronField(String expression, String reason) {
    List<Violation> violations = ScheduleMath.validate(cron(expression, "UTC"), NOW_MS, 0, 0);

    assertThat(violations)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("schedule.cron.expression");
              assertThat(v.description()).contains(reason);
            });
  }
}
