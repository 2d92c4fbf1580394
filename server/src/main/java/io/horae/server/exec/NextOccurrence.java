package io.horae.server.exec;

import io.horae.api.v1.Job;
import io.horae.statemachine.core.schedule.ScheduleMath;
import java.time.Duration;

/**
 * When a job's next occurrence is due once the occurrence scheduled at {@code scheduledMs} ends
 * (by its result or by a cancel). Decided by the proposer, never in apply (docs/architecture.md,
 * departure 1); apply accepts it only from the job's latest occurrence.
 */
public final class NextOccurrence {
  private NextOccurrence() {}

  /**
   * @return the scheduled time of the next occurrence, or 0 when the occurrence is not the job's
   *     latest one (its successor already exists) or the schedule has ended
   */
  public static long after(Job job, long scheduledMs, long nowMs, Duration misfireGrace) {
    if (job.getNextFireMs() != scheduledMs) {
      return 0;
    }
    return ScheduleMath.nextFire(job.getSchedule(), scheduledMs, job.getFireCount(), nowMs, misfireGrace.toMillis());
  }
}
