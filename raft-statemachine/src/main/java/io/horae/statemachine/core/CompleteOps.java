package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Complete;
import io.horae.internal.v1.CompleteResult;
import io.horae.internal.v1.MisfireNote;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.Outcome;
import io.horae.internal.v1.ShardMap;
import java.util.Optional;

/**
 * Records attempt results (DESIGN §6: no claim precedes them). The first result for an execution's
 * next attempt wins: it counts if the execution is live and the result is for attempt count + 1. A
 * late result for an attempt already recorded, from any node and any tenure (an old owner cut off
 * while its call was in flight, or a second sender around a failure), is ignored; so is one for a
 * finished or cancelled execution. Recurring jobs get their next occurrence when the chain head
 * (the job's latest occurrence) reports its first result.
 */
final class CompleteOps {
  private CompleteOps() {}

  static OpResult complete(State state, Complete op) {
    ShardMap map = state.shardMap().orElse(ShardMap.getDefaultInstance());
    int accepted = 0;
    int ignored = 0;
    for (AttemptResult r : op.getResultsList()) {
      Optional<Execution> found = state.execution(r.getExecutionId());
      if (found.isEmpty() || !firstFor(found.get(), r)) {
        ignored++;
        continue;
      }
      if (r.getOutcome() == Outcome.OUTCOME_SKIPPED) {
        Execution skipped = skip(state, found.get(), r);
        AttemptResult counted = scheduleOf(state, skipped, r);
        advanceJob(
            state,
            skipped,
            counted.getNextFireMs(),
            counted.getMisfire(),
            map.getOwnersCount(),
            op.getNowMs());
        RetentionOps.finished(state, skipped);
        accepted++;
        continue;
      }
      if (r.getOutcome() == Outcome.OUTCOME_DEFERRED) {
        defer(state, found.get(), r);
        accepted++;
        continue;
      }
      Execution done = record(state, found.get(), r, op.getAttemptHistoryMax());
      if (!r.getPauseReason().isEmpty()) {
        pauseJob(state, done, r.getPauseReason(), op.getNowMs());
      }
      AttemptResult counted = scheduleOf(state, done, r);
      advanceJob(
          state,
          done,
          counted.getNextFireMs(),
          counted.getMisfire(),
          map.getOwnersCount(),
          op.getNowMs());
      if (done.getStatus() == io.horae.api.v1.ExecutionStatus.EXECUTION_STATUS_SUCCEEDED) {
        ChainOps.succeeded(state, done, map.getOwnersCount(), op.getNowMs());
      }
      RetentionOps.finished(state, done);
      accepted++;
    }
    return OpResult.newBuilder()
        .setComplete(CompleteResult.newBuilder().setAccepted(accepted).setIgnored(ignored))
        .build();
  }

  /** The result is for the attempt the live execution waits for. */
  private static boolean firstFor(Execution e, AttemptResult r) {
    return Executions.isLive(e) && r.getAttemptNumber() == e.getAttempt() + 1;
  }

  /**
   * The target host's breaker was open: no attempt was made, so the attempt count stays and the
   * execution waits in RETRY_WAIT until retry_at_ms (the breaker's next probe).
   */
  private static void defer(State state, Execution e, AttemptResult r) {
    state.deleteDue(e);
    Execution deferred =
        e.toBuilder()
            .setStatus(ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT)
            .setDueMs(Math.max(r.getRetryAtMs(), e.getDueMs()))
            .setDeferrals(e.getDeferrals() + 1)
            .setLastError(r.getError())
            .build();
    state.putExecution(e, deferred);
    state.putDue(deferred);
  }

  /** Not sent by the overlap policy: SKIPPED with the reason, no attempt counted. */
  private static Execution skip(State state, Execution e, AttemptResult r) {
    state.deleteDue(e);
    Execution skipped =
        e.toBuilder()
            .setStatus(ExecutionStatus.EXECUTION_STATUS_SKIPPED)
            .setFinishedMs(r.getFinishedMs())
            .setReason(r.getError())
            .build();
    state.putExecution(e, skipped);
    return skipped;
  }

  /** A 410 Gone: a recurring job that is still active is paused, with the reason recorded. */
  private static void pauseJob(State state, Execution e, String reason, long nowMs) {
    Optional<Job> found = state.job(e.getNamespace(), e.getJobName());
    if (found.isEmpty()
        || found.get().getState() != JobState.JOB_STATE_ACTIVE
        || !Executions.recurring(found.get())) {
      return;
    }
    state.putJob(
        found.get().toBuilder()
            .setState(JobState.JOB_STATE_PAUSED)
            .setPausedReason(reason)
            .setUpdateTimeMs(nowMs)
            .setVersion(found.get().getVersion() + 1)
            .build());
  }

  private static Execution record(State state, Execution e, AttemptResult r, int historyMax) {
    state.deleteDue(e);
    Execution.Builder b =
        e.toBuilder()
            .setAttempt(e.getAttempt() + 1)
            .setLastHttpStatus(r.getHttpStatus())
            .setLastError(r.getError())
            .setLastLatencyMs(r.getLatencyMs());
    if (e.getTraceId().isEmpty() && !r.getTraceId().isEmpty()) {
      b.setTraceId(r.getTraceId());
    }
    if (r.hasAttempt()) {
      b.addAttempts(r.getAttempt());
      // Bounded history: keep the first attempt and the latest ones.
      while (historyMax > 1 && b.getAttemptsCount() > historyMax) {
        b.removeAttempts(1);
      }
    }
    if (r.getOutcome() == Outcome.OUTCOME_SUCCEEDED) {
      b.setStatus(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED).setFinishedMs(r.getFinishedMs());
    } else if (r.getRetryAtMs() > 0) {
      b.setStatus(ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT).setDueMs(r.getRetryAtMs());
    } else {
      b.setStatus(ExecutionStatus.EXECUTION_STATUS_DEAD).setFinishedMs(r.getFinishedMs());
    }
    Execution done = b.build();
    state.putExecution(e, done);
    if (done.getStatus() == ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT) {
      state.putDue(done);
    } else if (done.getStatus() == ExecutionStatus.EXECUTION_STATUS_DEAD) {
      state.putDead(done);
    }
    return done;
  }

  /**
   * The result's next occurrence and misfire note, unless the owner computed them from a schedule
   * an update has replaced since (its job_version is older than the job's schedule_version): then
   * the new schedule's first occurrence that the update left waiting (Job.rescheduled_next_ms), and
   * no misfire note.
   */
  private static AttemptResult scheduleOf(State state, Execution e, AttemptResult r) {
    if (r.getJobVersion() == 0) {
      return r; // from a node that does not send it
    }
    Optional<Job> job = state.job(e.getNamespace(), e.getJobName());
    if (job.isEmpty() || r.getJobVersion() >= job.get().getScheduleVersion()) {
      return r;
    }
    return r.toBuilder().setNextFireMs(job.get().getRescheduledNextMs()).clearMisfire().build();
  }

  /**
   * Gives the job its next occurrence at nextFireMs (computed by the proposer) if {@code e} is the
   * job's latest occurrence and the job is active (a manual run, or an execution of an earlier job
   * of the same name, moves nothing); a nextFireMs not later than e ends the schedule, and the job
   * completes once e is no longer live. Shared with {@link CancelOps}.
   */
  static void advanceJob(
      State state, Execution e, long nextFireMs, MisfireNote misfire, int shardCount, long nowMs) {
    if (!Executions.scheduled(e)) {
      return;
    }
    Optional<Job> found = state.job(e.getNamespace(), e.getJobName());
    if (found.isEmpty() || Executions.ofEarlierJob(e, found.get())) {
      return;
    }
    advance(
        state,
        found.get(),
        e.getScheduledMs(),
        Executions.isLive(e),
        nextFireMs,
        misfire,
        shardCount,
        nowMs);
  }

  /**
   * The occurrences a misfire policy passed over, as one SKIPPED execution at the first of them
   * with the proposer's reason (unless that id is taken by this job already).
   */
  private static void recordSkipped(
      State state, Job job, MisfireNote misfire, int shardCount, long nowMs) {
    Execution skipped =
        JobOps.newExecution(job, misfire.getFirstMs(), shardCount, nowMs).toBuilder()
            .setStatus(ExecutionStatus.EXECUTION_STATUS_SKIPPED)
            .setFinishedMs(nowMs)
            .setReason(misfire.getReason())
            .build();
    Optional<Execution> existing = state.execution(skipped.getId());
    if (existing.isPresent() && !Executions.ofEarlierJob(existing.get(), job)) {
      return;
    }
    state.createExecution(skipped);
    RetentionOps.finished(state, skipped);
  }

  /**
   * {@link #advanceJob} for the job's occurrence scheduled at fromScheduledMs, which may no longer
   * exist (purged from the DLQ); {@code fromLive} says whether it is still live. Shared with {@link
   * PauseOps} (resume).
   */
  static void advance(
      State state,
      Job job,
      long fromScheduledMs,
      boolean fromLive,
      long nextFireMs,
      MisfireNote misfire,
      int shardCount,
      long nowMs) {
    if (job.getNextFireMs() != fromScheduledMs || job.getState() != JobState.JOB_STATE_ACTIVE) {
      return;
    }
    if (misfire.getFirstMs() > fromScheduledMs
        && (nextFireMs == 0 || misfire.getFirstMs() < nextFireMs)) {
      recordSkipped(state, job, misfire, shardCount, nowMs);
      job = state.job(job.getNamespace(), job.getName()).orElse(job);
    }
    if (nextFireMs > fromScheduledMs) {
      Execution next = JobOps.newExecution(job, nextFireMs, shardCount, nowMs);
      Optional<Execution> existing = state.execution(next.getId());
      if (existing.isEmpty() || Executions.ofEarlierJob(existing.get(), job)) {
        state.createExecution(next);
        state.putDue(next);
      }
      state.putJob(
          job.toBuilder()
              .setNextFireMs(nextFireMs)
              .setFireCount(job.getFireCount() + 1)
              .setRescheduledNextMs(0)
              .build());
    } else if (!fromLive) {
      state.putJob(job.toBuilder().setState(JobState.JOB_STATE_COMPLETED).build());
    }
  }
}
