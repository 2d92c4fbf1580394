package io.horae.server.exec;

import io.horae.api.v1.Job;
import io.horae.internal.v1.MisfireNote;
import io.horae.statemachine.core.schedule.Misfire;
import java.time.Duration;

/**
 * When a job's next occurrence is due once the occurrence scheduled at {@code scheduledMs} ends (by
 * its result or by a cancel, or at resume), under the job's misfire policy and grace (the node's
 * grace when the job has none). Decided by the proposer, never in apply (docs/architecture.md,
 * departure 1); apply accepts it only from the job's latest occurrence.
 *
 * @param fireMs the scheduled time of the next occurrence, or 0 when the occurrence is not the
 *     job's latest one (its successor already exists) or the schedule has ended
 * @param misfire the occurrences the policy passed over, for the history; null when none
 */
public record NextOccurrence(long fireMs, MisfireNote misfire) {
  static final NextOccurrence NONE = new NextOccurrence(0, null);

  public static NextOccurrence after(Job job, long scheduledMs, long nowMs, Duration nodeGrace) {
    if (job.getNextFireMs() != scheduledMs) {
      return NONE;
    }
    long grace = job.getMisfireGraceMs() > 0 ? job.getMisfireGraceMs() : nodeGrace.toMillis();
    Misfire.Next next =
        Misfire.next(
            job.getSchedule(),
            scheduledMs,
            job.getFireCount(),
            nowMs,
            grace,
            job.getMisfirePolicy(),
            job.getMisfireFireAllMax());
    if (!next.skipped()) {
      return new NextOccurrence(next.fireMs(), null);
    }
    return new NextOccurrence(
        next.fireMs(),
        MisfireNote.newBuilder()
            .setFirstMs(next.skippedFirstMs())
            .setReason(Misfire.reason(next, job.getMisfirePolicy(), grace))
            .build());
  }

  /** Sets the note on an op builder's misfire field when there is one. */
  public void noteInto(java.util.function.Consumer<MisfireNote> setter) {
    if (misfire != null) {
      setter.accept(misfire);
    }
  }
}
