package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.ExecutionTrigger;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ShardMap;
import io.horae.internal.v1.TriggerJob;
import io.horae.internal.v1.UpdateJob;
import java.util.List;
import java.util.Optional;

/** Update in place (compare-and-set on the version) and manual runs of a job. */
final class UpdateOps {
  /** Most milliseconds a manual run's id moves forward to find a free id (two runs in one ms). */
  static final int MANUAL_ID_PROBES = 1_000;

  private UpdateOps() {}

  /**
   * Replaces the job's user fields with the op's (the proposer merged the mask onto base_version).
   * With a new schedule, the job's current occurrence is cancelled if it is not yet due (PENDING,
   * no attempt, scheduled after the op's now) and not at the new time, and the new schedule's
   * occurrence at next_fire_ms is created; an occurrence already due, retrying or in flight is kept
   * (same id, fired once) and the new schedule continues after it. A paused job gets no new
   * occurrence (resume makes one); a completed job with a future occurrence is active again.
   */
  static OpResult update(State state, UpdateJob op) {
    Job requested = op.getJob();
    String ns = requested.getNamespace();
    Optional<Job> found = state.job(ns, requested.getName());
    if (found.isEmpty()) {
      return Results.reject(
          RejectCode.REJECT_NOT_FOUND,
          "job " + ExecutionIds.jobKey(ns, requested.getName()) + " not found");
    }
    Job stored = found.get();
    if (!requested.getAfter().equals(stored.getAfter())) {
      Optional<String> chain =
          ChainOps.refusal(state.tx(), ns, stored.getName(), requested.getAfter());
      if (chain.isPresent()) {
        return Results.reject(RejectCode.REJECT_INVALID, "job.after " + chain.get());
      }
    }
    if (stored.getVersion() != op.getBaseVersion()) {
      return Results.reject(
          RejectCode.REJECT_VERSION_MISMATCH,
          "job "
              + ExecutionIds.jobKey(ns, stored.getName())
              + " is at version "
              + stored.getVersion()
              + ", not "
              + op.getBaseVersion());
    }
    Job.Builder job =
        stored.toBuilder()
            .setSchedule(requested.getSchedule())
            .setTarget(requested.getTarget())
            .setRetry(requested.getRetry())
            .setPriority(requested.getPriority())
            .clearLabels()
            .putAllLabels(requested.getLabelsMap())
            .setKeepLast(requested.getKeepLast())
            .setMisfirePolicy(requested.getMisfirePolicy())
            .setMisfireGraceMs(requested.getMisfireGraceMs())
            .setMisfireFireAllMax(requested.getMisfireFireAllMax())
            .setAfter(requested.getAfter())
            .setOverlapPolicy(requested.getOverlapPolicy())
            .setTraceparent(requested.getTraceparent())
            .setSigningSecret(requested.getSigningSecret())
            .setHasSigningSecret(requested.getHasSigningSecret())
            .setVersion(stored.getVersion() + 1)
            .setUpdateTimeMs(op.getNowMs());
    if (op.getReschedule()) {
      job.setScheduleVersion(job.getVersion()).setRescheduledNextMs(0);
      reschedule(state, stored, job, op);
    }
    Job updated = job.build();
    ChainOps.unlink(state, stored);
    ChainOps.link(state, updated);
    state.putJob(updated);
    return OpResult.newBuilder().setJob(updated).build();
  }

  private static void reschedule(State state, Job stored, Job.Builder job, UpdateJob op) {
    Optional<Execution> current =
        stored.getNextFireMs() > 0
            ? state
                .execution(
                    ExecutionIds.of(
                        stored.getNamespace(), stored.getName(), stored.getNextFireMs()))
                .filter(e -> Executions.isLive(e) && !Executions.ofEarlierJob(e, stored))
            : Optional.empty();
    if (current.isPresent()) {
      Execution e = current.get();
      boolean notYetDue =
          e.getStatus() == ExecutionStatus.EXECUTION_STATUS_PENDING
              && e.getAttempt() == 0
              && e.getScheduledMs() > op.getNowMs();
      if (e.getScheduledMs() == op.getNextFireMs()) {
        return;
      }
      if (!notYetDue) {
        // Kept and fired once; its result may have been computed from the old schedule by an
        // owner that had not applied this update, so the new schedule's first occurrence waits
        // here for it (CompleteOps#advance).
        if (op.getNextFireMs() > e.getScheduledMs()) {
          job.setRescheduledNextMs(op.getNextFireMs());
        }
        return;
      }
      Execution cancelled =
          JobOps.cancel(
              state, e, op.getNowMs(), "rescheduled by update to version " + job.getVersion());
      job.setHistorySize(job.getHistorySize() + (Executions.inHistory(cancelled) ? 1 : 0));
    }
    if (stored.getState() == JobState.JOB_STATE_PAUSED
        || stored.getState() == JobState.JOB_STATE_CANCELLED) {
      return;
    }
    long next = op.getNextFireMs();
    Optional<Execution> taken =
        next > 0
            ? state
                .execution(ExecutionIds.of(stored.getNamespace(), stored.getName(), next))
                .filter(e -> !Executions.ofEarlierJob(e, stored))
            : Optional.empty();
    if (next <= 0 || taken.isPresent()) {
      // No occurrence, or one whose id an earlier occurrence of this job already used (the
      // proposer avoids that; an id is never reused): the schedule has ended. A chained job
      // stays active: it runs after its job's successes.
      if (stored.getState() == JobState.JOB_STATE_ACTIVE && job.getAfter().isEmpty()) {
        job.setState(JobState.JOB_STATE_COMPLETED);
      }
      return;
    }
    Optional<ShardMap> map = state.shardMap();
    Execution occurrence =
        JobOps.newExecution(
            job.build(), next, map.map(ShardMap::getOwnersCount).orElse(0), op.getNowMs());
    state.createExecution(occurrence);
    state.putDue(occurrence);
    job.setState(JobState.JOB_STATE_ACTIVE)
        .clearPausedReason()
        .setNextFireMs(next)
        .setFireCount(stored.getFireCount() + 1);
  }

  /**
   * One extra execution due at now, id {@code <job>@<now>.m} (the next free millisecond if two runs
   * share one), trigger MANUAL; it moves no schedule. If one of the job's executions is running
   * (due, retrying or attempted), the overlap policy SKIP records the run as SKIPPED with the
   * reason instead.
   */
  static OpResult trigger(State state, TriggerJob op) {
    String ns = op.getNamespace();
    Optional<Job> found = state.job(ns, op.getName());
    if (found.isEmpty()) {
      return Results.reject(
          RejectCode.REJECT_NOT_FOUND,
          "job " + ExecutionIds.jobKey(ns, op.getName()) + " not found");
    }
    Optional<ShardMap> map = state.shardMap();
    if (map.isEmpty()) {
      return Results.reject(RejectCode.REJECT_NOT_READY, "the cluster has no shard map yet");
    }
    Job job = found.get();
    List<String> live = state.liveExecutionIds(ns, op.getName(), JobOps.LIVE_PER_JOB_MAX + 1);
    if (live.size() >= JobOps.LIVE_PER_JOB_MAX) {
      return Results.reject(
          RejectCode.REJECT_LIMIT,
          "job "
              + ExecutionIds.jobKey(ns, op.getName())
              + " already has "
              + live.size()
              + " live executions (at most "
              + JobOps.LIVE_PER_JOB_MAX
              + ")");
    }
    Optional<OpResult> quota = NamespaceUsages.refusal(state.tx(), ns, op.getQuota(), 0, 1);
    if (quota.isPresent()) {
      return quota.get();
    }
    io.horae.api.v1.OverlapPolicy policy = job.getOverlapPolicy();
    Optional<String> running =
        policy == io.horae.api.v1.OverlapPolicy.OVERLAP_POLICY_ALLOW
            ? Optional.empty()
            : live.stream().filter(id -> running(state, id, op.getNowMs())).findFirst();
    String why = running.map(id -> "overlap policy SKIP: " + id + " is still running").orElse(null);
    if (policy == io.horae.api.v1.OverlapPolicy.OVERLAP_POLICY_QUEUE && running.isPresent()) {
      // The owner holds the run until the running one ends; one may wait, not two.
      Optional<String> waiting =
          live.stream()
              .filter(id -> !id.equals(running.get()) && waiting(state, id, op.getNowMs()))
              .findFirst();
      why =
          waiting
              .map(id -> "overlap policy QUEUE: " + id + " is already waiting for " + running.get())
              .orElse(null);
    }
    String id = freeManualId(state, job, op.getNowMs());
    Execution.Builder run =
        JobOps.newExecution(job, op.getNowMs(), map.get().getOwnersCount(), op.getNowMs())
            .toBuilder()
            .setId(id)
            .setTrigger(ExecutionTrigger.EXECUTION_TRIGGER_MANUAL);
    if (why != null) {
      Execution skipped =
          run.setStatus(ExecutionStatus.EXECUTION_STATUS_SKIPPED)
              .setFinishedMs(op.getNowMs())
              .setReason(why)
              .build();
      state.createExecution(skipped);
      RetentionOps.finished(state, skipped);
      return OpResult.newBuilder().setExecution(skipped).build();
    }
    Execution pending = run.build();
    state.createExecution(pending);
    state.putDue(pending);
    return OpResult.newBuilder().setExecution(pending).build();
  }

  /** Due (or past due), retrying, or attempted at least once. */
  private static boolean running(State state, String id, long nowMs) {
    return state
        .execution(id)
        .filter(Executions::isLive)
        .map(
            e ->
                e.getAttempt() > 0
                    || e.getStatus() == ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT
                    || e.getDueMs() <= nowMs)
        .orElse(false);
  }

  /** Live, never attempted and due: waiting for a running one to end (overlap policy QUEUE). */
  private static boolean waiting(State state, String id, long nowMs) {
    return state
        .execution(id)
        .filter(Executions::isLive)
        .map(
            e ->
                e.getAttempt() == 0
                    && e.getStatus() == ExecutionStatus.EXECUTION_STATUS_PENDING
                    && e.getDueMs() <= nowMs)
        .orElse(false);
  }

  private static String freeManualId(State state, Job job, long nowMs) {
    for (int i = 0; i < MANUAL_ID_PROBES; i++) {
      String id = ExecutionIds.manual(job.getNamespace(), job.getName(), nowMs + i);
      Optional<Execution> existing = state.execution(id);
      if (existing.isEmpty() || Executions.ofEarlierJob(existing.get(), job)) {
        return id;
      }
    }
    throw new IllegalStateException("no free manual execution id near " + nowMs);
  }
}
