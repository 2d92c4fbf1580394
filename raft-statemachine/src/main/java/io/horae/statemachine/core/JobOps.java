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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Create and delete of jobs. */
final class JobOps {
  /** Upper bound of executions one delete cancels in one entry; a job has few live ones. */
  static final int DELETE_SCAN_MAX = 100_000;
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
    long first = op.getFirstFireMs();
    Job job =
        requested.toBuilder()
            .setState(first > 0 ? JobState.JOB_STATE_ACTIVE : JobState.JOB_STATE_COMPLETED)
            .setVersion(1)
            .setCreateTimeMs(op.getNowMs())
            .setUpdateTimeMs(op.getNowMs())
            .setNextFireMs(first)
            .setFireCount(first > 0 ? 1 : 0)
            .build();
    state.putJob(job);
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

  static OpResult delete(State state, DeleteJob op) {
    if (state.job(op.getNamespace(), op.getName()).isEmpty()) {
      return Results.reject(
          RejectCode.REJECT_NOT_FOUND,
          "job " + ExecutionIds.jobKey(op.getNamespace(), op.getName()) + " not found");
    }
    state.deleteJob(op.getNamespace(), op.getName());
    byte[] prefix = Keys.execution(ExecutionIds.prefixOf(op.getNamespace(), op.getName()));
    List<Execution> live = new ArrayList<>();
    state
        .tx()
        .scan(
            Family.EXECUTIONS,
            prefix,
            Keys.prefixEnd(prefix),
            DELETE_SCAN_MAX,
            (key, value) -> {
              Execution e = Executions.parse(value);
              if (Executions.isLive(e)) {
                live.add(e);
              }
              return true;
            });
    for (Execution e : live) {
      state.deleteDue(e);
      state.putExecution(
          e.toBuilder()
              .setStatus(ExecutionStatus.EXECUTION_STATUS_CANCELLED)
              .setFinishedMs(op.getNowMs())
              .build());
    }
    return OpResult.newBuilder().setCancelledExecutions(live.size()).build();
  }
}
