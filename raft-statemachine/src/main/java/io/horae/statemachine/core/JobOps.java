package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.internal.v1.CreateJob;
import io.horae.internal.v1.DeleteJob;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.RequestRecord;
import io.horae.internal.v1.ShardMap;
import java.util.Optional;

/** Create and delete of jobs. */
final class JobOps {
  /**
   * Most live executions one job may have (its scheduled occurrence, manual runs): a trigger past
   * it is refused, so a delete always finds all of them in one bounded read of the live index.
   */
  static final int LIVE_PER_JOB_MAX = 100;

  /** Expired request records removed per create: more than one, so a backlog drains. */
  static final int EXPIRED_REQUESTS_PER_CREATE = 8;

  private JobOps() {}

  static OpResult create(State state, CreateJob op) {
    // Each create removes a few expired request records, so the family stays bounded by the
    // creates of one request-id TTL; the op's time makes this deterministic.
    state.expireRequests(op.getNowMs(), EXPIRED_REQUESTS_PER_CREATE);
    Job requested = op.getJob();
    String ns = requested.getNamespace();
    if (!op.getRequestId().isEmpty()) {
      Optional<RequestRecord> earlier = state.request(ns, op.getRequestId());
      if (earlier.isPresent() && earlier.get().getExpiresMs() > op.getNowMs()) {
        if (!earlier.get().getOp().isEmpty()) {
          return Repeats.reused(earlier.get(), ns, Repeats.what("create", ns, requested.getName()));
        }
        if (!earlier.get().getJob().getName().equals(requested.getName())) {
          // A request id names one create: answering another job's create with the first job
          // would tell the caller its job exists when it does not.
          return Results.reject(
              RejectCode.REJECT_REQUEST_REUSED,
              "request id was first used to create job "
                  + ExecutionIds.jobKey(ns, earlier.get().getJob().getName())
                  + ", not "
                  + ExecutionIds.jobKey(ns, requested.getName())
                  + "; use a new request id for another job");
        }
        return OpResult.newBuilder().setJob(earlier.get().getJob()).build();
      }
    }
    if (state.job(ns, requested.getName()).isPresent()) {
      return Results.reject(
          RejectCode.REJECT_ALREADY_EXISTS,
          "job " + ExecutionIds.jobKey(ns, requested.getName()) + " already exists");
    }
    Optional<ShardMap> map = state.shardMap();
    if (map.isEmpty()) {
      return Results.reject(RejectCode.REJECT_NOT_READY, "the cluster has no shard map yet");
    }
    Optional<String> chain =
        ChainOps.refusal(state.tx(), ns, requested.getName(), requested.getAfter());
    if (chain.isPresent()) {
      return Results.reject(RejectCode.REJECT_INVALID, "job.after " + chain.get());
    }
    long first = op.getFirstFireMs();
    Optional<OpResult> quota =
        NamespaceUsages.refusal(state.tx(), ns, op.getQuota(), 1, first > 0 ? 1 : 0);
    if (quota.isPresent()) {
      return quota.get();
    }
    boolean chained = !requested.getAfter().isEmpty();
    Job job =
        requested.toBuilder()
            .setState(
                first > 0 || chained ? JobState.JOB_STATE_ACTIVE : JobState.JOB_STATE_COMPLETED)
            .setVersion(1)
            .setScheduleVersion(1)
            .setCreateTimeMs(op.getNowMs())
            .setUpdateTimeMs(op.getNowMs())
            .setNextFireMs(first)
            .setFireCount(first > 0 ? 1 : 0)
            .build();
    state.putJob(job);
    NamespaceUsages.add(state.tx(), ns, 1, 0);
    ChainOps.link(state, job);
    if (first > 0) {
      Execution execution = newExecution(job, first, map.get().getOwnersCount(), op.getNowMs());
      state.createExecution(execution);
      state.putDue(execution);
    }
    if (!op.getRequestId().isEmpty()) {
      state.putRequest(
          ns,
          op.getRequestId(),
          RequestRecord.newBuilder()
              .setExpiresMs(op.getNowMs() + op.getRequestExpiryMs())
              .setJob(job)
              .build());
    }
    return OpResult.newBuilder().setJob(job).build();
  }

  static Execution newExecution(Job job, long scheduledMs, int shardCount, long nowMs) {
    return Execution.newBuilder()
        .setId(ExecutionIds.of(job.getNamespace(), job.getName(), scheduledMs))
        .setNamespace(job.getNamespace())
        .setJobName(job.getName())
        .setScheduledMs(scheduledMs)
        .setDueMs(scheduledMs)
        .setShard(Shards.of(job.getNamespace(), job.getName(), shardCount))
        .setStatus(ExecutionStatus.EXECUTION_STATUS_PENDING)
        .setPriority(job.getPriority())
        .setCreatedMs(nowMs)
        .build();
  }

  /**
   * Deletes the job and cancels exactly its live executions, found in the job's live index (not by
   * walking its history, which an every-second job grows by 86,400 records a day). Its finished
   * executions stay as history until retention removes them; an execution of a job created later
   * under the same name never mistakes them for its own (see {@link Executions#ofEarlierJob}).
   */
  static OpResult delete(State state, DeleteJob op) {
    Optional<Job> found = state.job(op.getNamespace(), op.getName());
    if (found.isEmpty()) {
      return Results.reject(
          RejectCode.REJECT_NOT_FOUND,
          "job " + ExecutionIds.jobKey(op.getNamespace(), op.getName()) + " not found");
    }
    state.deleteJob(op.getNamespace(), op.getName());
    NamespaceUsages.add(state.tx(), op.getNamespace(), -1, 0);
    ChainOps.unlink(state, found.get());
    int cancelled = 0;
    for (String id :
        state.liveExecutionIds(op.getNamespace(), op.getName(), LIVE_PER_JOB_MAX + 1)) {
      Optional<Execution> live = state.execution(id);
      if (live.isPresent() && Executions.isLive(live.get())) {
        cancel(state, live.get(), op.getNowMs(), "job deleted");
        cancelled++;
      }
    }
    return OpResult.newBuilder().setCancelledExecutions(cancelled).build();
  }

  /** Live → CANCELLED with the reason; its due entry goes, so no owner fires it again. */
  static Execution cancel(State state, Execution e, long nowMs, String reason) {
    state.deleteDue(e);
    Execution cancelled =
        e.toBuilder()
            .setStatus(ExecutionStatus.EXECUTION_STATUS_CANCELLED)
            .setFinishedMs(nowMs)
            .setReason(reason)
            .build();
    state.putExecution(e, cancelled);
    return cancelled;
  }
}
