package io.horae.statemachine.core.schedule;

import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.Schedule;

/**
 * The next fire times of a schedule or of a job, as the cluster would create them when every
 * occurrence ends on time (no misfire coalescing): end_at_ms and max_fires apply, and a job's
 * fire_count counts against max_fires.
 */
final class SchedulePreview {

  /** Most fires one preview lists. */
  static final int COUNT_MAX = 100;

  private SchedulePreview() {}

  static PreviewScheduleResponse ofSchedule(Schedule normalized, long fromMs, int count) {
    long firstMs = ScheduleMath.firstFire(normalized, fromMs);
    if (firstMs < fromMs) {
      firstMs = 0; // a one-shot time within the past tolerance: before the window
    }
    long maxFires = normalized.getMaxFires();
    return list(normalized, firstMs, maxFires == 0 ? Long.MAX_VALUE : maxFires, count);
  }

  /**
   * Starts with the job's latest occurrence when it is at or after fromMs (it exists already), else
   * with the first occurrence after both.
   */
  static PreviewScheduleResponse ofJob(Job job, long fromMs, int count) {
    Schedule s = job.getSchedule();
    if (job.getState() == JobState.JOB_STATE_COMPLETED
        || job.getState() == JobState.JOB_STATE_CANCELLED) {
      return list(s, 0, 0, count);
    }
    long latestMs = job.getNextFireMs();
    long unlimited = Long.MAX_VALUE;
    long maxFires = s.getMaxFires();
    if (latestMs != 0 && latestMs >= fromMs) {
      long left = maxFires == 0 ? unlimited : maxFires - job.getFireCount() + 1;
      return list(s, latestMs, left, count);
    }
    long firstMs = ScheduleMath.firstAfter(s, Math.max(latestMs, fromMs - 1));
    long left = maxFires == 0 ? unlimited : maxFires - job.getFireCount();
    return list(s, firstMs, left, count);
  }

  /**
   * @param firstMs the first fire, 0 for none
   * @param firesLeft occurrences max_fires still allows, firstMs included
   */
  private static PreviewScheduleResponse list(
      Schedule normalized, long firstMs, long firesLeft, int count) {
    if (count < 1 || count > COUNT_MAX) {
      throw new IllegalArgumentException("count " + count + " must be in 1.." + COUNT_MAX);
    }
    PreviewScheduleResponse.Builder out = PreviewScheduleResponse.newBuilder();
    CronTimes cron = null;
    if (normalized.hasCron()) {
      cron = CronTimes.of(normalized.getCron());
      String zone = normalized.getCron().getTimeZone();
      out.setTimeZone(zone.isEmpty() ? CronZones.DEFAULT_ID : zone);
    } else {
      out.setTimeZone(CronZones.DEFAULT_ID);
    }
    long limit = Math.min(count, firesLeft);
    for (long fireMs = firstMs;
        fireMs != 0 && out.getFiresCount() < limit;
        fireMs = ScheduleMath.firstAfter(normalized, fireMs)) {
      out.addFires(cron == null ? FireNotes.utc(fireMs) : FireNotes.of(cron, fireMs));
    }
    return out.build();
  }
}
