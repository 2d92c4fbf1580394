package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.after;
import static io.horae.statemachine.core.schedule.TestSchedules.at;
import static io.horae.statemachine.core.schedule.TestSchedules.cron;
import static io.horae.statemachine.core.schedule.TestSchedules.every;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Schedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Goal: describe gives short, unambiguous one-liners for CLI tables, limits included. */
class ScheduleDescriptionTest {

  @Test
  void eachKindReadsNaturally() {
    long anchorMs = ms("2026-11-25T10:00:00Z");

    assertThat(ScheduleMath.describe(at(anchorMs))).isEqualTo("at 2026-11-25T10:00:00Z");
    assertThat(ScheduleMath.describe(after(90_000))).isEqualTo("after 1m30s");
    assertThat(ScheduleMath.describe(every(300_000, anchorMs)))
        .isEqualTo("every 5m from 2026-11-25T10:00:00Z");
    assertThat(ScheduleMath.describe(every(300_000, 0))).isEqualTo("every 5m");
    assertThat(ScheduleMath.describe(cron("0 9 * * 1-5", "Europe/Berlin")))
        .isEqualTo("cron '0 9 * * 1-5' Europe/Berlin");
    assertThat(ScheduleMath.describe(cron("@daily", ""))).isEqualTo("cron '@daily' UTC");
    assertThat(ScheduleMath.describe(Schedule.getDefaultInstance())).isEqualTo("no schedule");
  }

  @Test
  void dstPoliciesAreAppendedWhenTheyAreNotTheDefault() {
    assertThat(
            ScheduleMath.describe(
                cron(
                    "30 2 * * *",
                    "Europe/Berlin",
                    Cron.DstGap.DST_GAP_SKIP,
                    Cron.DstOverlap.DST_OVERLAP_BOTH)))
        .isEqualTo("cron '30 2 * * *' Europe/Berlin, dst-gap skip, dst-overlap both");
    assertThat(
            ScheduleMath.describe(
                cron(
                    "30 2 * * *",
                    "Europe/Berlin",
                    Cron.DstGap.DST_GAP_SHIFT,
                    Cron.DstOverlap.DST_OVERLAP_FIRST)))
        .isEqualTo("cron '30 2 * * *' Europe/Berlin");
  }

  @Test
  void limitsAreAppended() {
    Schedule s =
        every(3_600_000, 0).toBuilder()
            .setEndAtMs(ms("2027-01-01T00:00:00Z"))
            .setMaxFires(10)
            .build();

    assertThat(ScheduleMath.describe(s))
        .isEqualTo("every 1h, until 2027-01-01T00:00:00Z, at most 10 fires");
  }

  @ParameterizedTest
  @CsvSource({"0, 0ms", "1, 1ms", "1500, 1s500ms", "86400000, 1d", "90061001, 1d1h1m1s1ms"})
  void durationsUseCompactUnits(long ms, String text) {
    assertThat(ScheduleDescriptions.duration(ms)).isEqualTo(text);
  }
}
