package io.horae.statemachine.core.schedule;

import static io.horae.statemachine.core.schedule.TestSchedules.HOUR_MS;
import static io.horae.statemachine.core.schedule.TestSchedules.cron;
import static io.horae.statemachine.core.schedule.TestSchedules.every;
import static io.horae.statemachine.core.schedule.TestSchedules.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.PreviewedFire;
import io.horae.api.v1.PreviewedFire.Note;
import io.horae.api.v1.Schedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Goal: a preview lists the fires the cluster would create, each with its zone's UTC offset and a
 * note on what daylight saving did to it, and stops where end_at_ms or max_fires (counting a job's
 * fires so far) stop the schedule.
 */
class SchedulePreviewTest {

  private static PreviewedFire fire(
      String isoWithOffset, int offsetSeconds, Note note, String text) {
    return PreviewedFire.newBuilder()
        .setFireMs(ms(isoWithOffset))
        .setUtcOffsetSeconds(offsetSeconds)
        .setNote(note)
        .setNoteText(text)
        .build();
  }

  private static Schedule berlin(String expression, Cron.DstGap gap, Cron.DstOverlap overlap) {
    return cron(expression, "Europe/Berlin", gap, overlap);
  }

  @Test
  void aShiftedTimeSaysItDoesNotExistOnASpringForwardNight() {
    Schedule s = berlin("30 2 * * *", Cron.DstGap.DST_GAP_SHIFT, Cron.DstOverlap.DST_OVERLAP_FIRST);

    PreviewScheduleResponse preview = ScheduleMath.preview(s, ms("2027-03-27T00:00+01:00"), 3);

    assertThat(preview.getTimeZone()).isEqualTo("Europe/Berlin");
    assertThat(preview.getFiresList())
        .containsExactly(
            fire("2027-03-27T02:30+01:00", 3600, Note.NOTE_NONE, ""),
            fire(
                "2027-03-28T03:00+02:00",
                7200,
                Note.NOTE_SHIFTED_GAP,
                "shifted: 02:30 does not exist (spring forward)"),
            fire("2027-03-29T02:30+02:00", 7200, Note.NOTE_NONE, ""));
  }

  @Test
  void severalShiftedTimesAreNamedByTheFirstAndTheLast() {
    Schedule s =
        berlin("*/15 * * * *", Cron.DstGap.DST_GAP_SHIFT, Cron.DstOverlap.DST_OVERLAP_FIRST);

    PreviewScheduleResponse preview = ScheduleMath.preview(s, ms("2027-03-28T01:50+01:00"), 2);

    assertThat(preview.getFiresList())
        .containsExactly(
            fire(
                "2027-03-28T03:00+02:00",
                7200,
                Note.NOTE_SHIFTED_GAP,
                "shifted: 02:00 to 02:45 do not exist (spring forward)"),
            fire("2027-03-28T03:15+02:00", 7200, Note.NOTE_NONE, ""));
  }

  @Test
  void bothShowingsOfARepeatedTimeAreNotedFirstAndSecond() {
    Schedule s = berlin("30 2 * * *", Cron.DstGap.DST_GAP_SHIFT, Cron.DstOverlap.DST_OVERLAP_BOTH);

    PreviewScheduleResponse preview = ScheduleMath.preview(s, ms("2027-10-31T00:00+02:00"), 3);

    assertThat(preview.getFiresList())
        .containsExactly(
            fire("2027-10-31T02:30+02:00", 7200, Note.NOTE_OVERLAP_FIRST, "first of two 02:30"),
            fire("2027-10-31T02:30+01:00", 3600, Note.NOTE_OVERLAP_SECOND, "second of two 02:30"),
            fire("2027-11-01T02:30+01:00", 3600, Note.NOTE_NONE, ""));
  }

  @Test
  void aShiftedDayNamesItsDateWhenTheFireFallsOnAnother() {
    Schedule s =
        cron(
            "0 12 * * *",
            "Pacific/Apia",
            Cron.DstGap.DST_GAP_SHIFT,
            Cron.DstOverlap.DST_OVERLAP_FIRST);

    PreviewScheduleResponse preview = ScheduleMath.preview(s, ms("2011-12-29T13:00-10:00"), 1);

    assertThat(preview.getFiresList())
        .containsExactly(
            fire(
                "2011-12-31T00:00+14:00",
                14 * 3600,
                Note.NOTE_SHIFTED_GAP,
                "shifted: 2011-12-30 12:00 does not exist (the clock jumps ahead 1d)"));
  }

  @Test
  void endAtAndMaxFiresEndTheList() {
    Schedule hourly = every(HOUR_MS, ms("2026-11-25T10:00Z"));
    long fromMs = ms("2026-11-25T09:00Z");

    assertThat(
            ScheduleMath.preview(
                    hourly.toBuilder().setEndAtMs(ms("2026-11-25T12:00Z")).build(), fromMs, 10)
                .getFiresList())
        .extracting(PreviewedFire::getFireMs)
        .containsExactly(ms("2026-11-25T10:00Z"), ms("2026-11-25T11:00Z"), ms("2026-11-25T12:00Z"));
    assertThat(
            ScheduleMath.preview(hourly.toBuilder().setMaxFires(2).build(), fromMs, 10)
                .getFiresCount())
        .isEqualTo(2);
  }

  @Test
  void aScheduleWithoutZoneIsInUtcWithoutNotes() {
    PreviewScheduleResponse preview =
        ScheduleMath.preview(every(HOUR_MS, ms("2026-11-25T10:00Z")), ms("2026-11-25T10:00Z"), 2);

    assertThat(preview.getTimeZone()).isEqualTo("UTC");
    assertThat(preview.getFiresList())
        .containsExactly(
            fire("2026-11-25T10:00Z", 0, Note.NOTE_NONE, ""),
            fire("2026-11-25T11:00Z", 0, Note.NOTE_NONE, ""));
  }

  @Test
  void aJobsFiresStartWithItsLatestOccurrenceAndItsFireCountCountsAgainstMaxFires() {
    Job job =
        Job.newBuilder()
            .setSchedule(every(HOUR_MS, ms("2026-11-25T00:00Z")).toBuilder().setMaxFires(5))
            .setState(JobState.JOB_STATE_ACTIVE)
            .setNextFireMs(ms("2026-11-25T03:00Z"))
            .setFireCount(4)
            .build();

    assertThat(ScheduleMath.preview(job, ms("2026-11-25T02:30Z"), 10).getFiresList())
        .extracting(PreviewedFire::getFireMs)
        .containsExactly(ms("2026-11-25T03:00Z"), ms("2026-11-25T04:00Z"));
    assertThat(ScheduleMath.preview(job, ms("2026-11-25T03:30Z"), 10).getFiresList())
        .extracting(PreviewedFire::getFireMs)
        .containsExactly(ms("2026-11-25T04:00Z"));
    assertThat(
            ScheduleMath.preview(
                    job.toBuilder().setFireCount(5).build(), ms("2026-11-25T03:30Z"), 10)
                .getFiresList())
        .isEmpty();
  }

  @Test
  void aCompletedOrCancelledJobHasNoFires() {
    Job job =
        Job.newBuilder()
            .setSchedule(every(HOUR_MS, ms("2026-11-25T00:00Z")))
            .setNextFireMs(ms("2026-11-25T03:00Z"))
            .setFireCount(4)
            .build();

    for (JobState state : List.of(JobState.JOB_STATE_COMPLETED, JobState.JOB_STATE_CANCELLED)) {
      assertThat(
              ScheduleMath.preview(job.toBuilder().setState(state).build(), 0, 10).getFiresList())
          .isEmpty();
    }
  }

  @Test
  void aCountOutsideOneToTheMaximumIsAProgrammerError() {
    Schedule s = every(HOUR_MS, ms("2026-11-25T00:00Z"));

    assertThatThrownBy(() -> ScheduleMath.preview(s, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScheduleMath.preview(s, 0, ScheduleMath.PREVIEW_COUNT_MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ScheduleMath.preview(s, 0, ScheduleMath.PREVIEW_COUNT_MAX).getFiresCount())
        .isEqualTo(ScheduleMath.PREVIEW_COUNT_MAX);
  }
}
