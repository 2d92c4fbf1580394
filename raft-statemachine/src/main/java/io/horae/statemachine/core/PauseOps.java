package io.horae.statemachine.core;

import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.PauseJob;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ResumeJob;
import io.horae.internal.v1.ShardMap;
import java.util.Optional;

/**
 * Pause and resume of jobs. A paused job keeps the occurrence it already has (due, retrying or in
 * flight: it runs to its end), but gets no next one, because {@link CompleteOps#advanceJob} chains
 * only ACTIVE jobs. Resume makes up for that: if the latest occurrence is no longer live, the job
 * gets its next one at the time the proposer computed from its now. A job paused by a 410 Gone is
 * resumed the same way. Both are idempotent: pausing a PAUSED job or resuming an ACTIVE one changes
 * nothing and answers the job, so a client may repeat a call whose answer it lost.
 */
final class PauseOps {
  private PauseOps() {}

  static OpResult pause(State state, PauseJob op) {
    Optional<Job> found = state.job(op.getNamespace(), op.getName());
    if (found.isEmpty()) {
      return notFound(op.getNamespace(), op.getName());
    }
    Job job = found.get();
    if (job.getState() == JobState.JOB_STATE_PAUSED) {
      // Already paused (a repeat whose first answer was lost, or a 410): nothing changes.
      return OpResult.newBuilder().setJob(job).build();
    }
    if (job.getState() != JobState.JOB_STATE_ACTIVE) {
      return wrongState(job, "paused", "ACTIVE or PAUSED");
    }
    Job paused =
        job.toBuilder()
            .setState(JobState.JOB_STATE_PAUSED)
            .setPausedReason(op.getReason())
            .setUpdateTimeMs(op.getNowMs())
            .setVersion(job.getVersion() + 1)
            .build();
    state.putJob(paused);
    return OpResult.newBuilder().setJob(paused).build();
  }

  /**
   * PAUSED → ACTIVE. The proposer always sends the next occurrence after the latest one (computed
   * from its now), and apply decides whether it is needed: only if the latest occurrence is not
   * live now (finished while paused, or purged). Deciding here, not on the proposer, keeps a latest
   * occurrence that finishes between the proposer's read and this apply from ending the schedule.
   */
  static OpResult resume(State state, ResumeJob op) {
    Optional<Job> found = state.job(op.getNamespace(), op.getName());
    if (found.isEmpty()) {
      return notFound(op.getNamespace(), op.getName());
    }
    Job job = found.get();
    if (job.getState() == JobState.JOB_STATE_ACTIVE) {
      // Already active (a repeat whose first answer was lost): nothing changes.
      return OpResult.newBuilder().setJob(job).build();
    }
    if (job.getState() != JobState.JOB_STATE_PAUSED) {
      return wrongState(job, "resumed", "PAUSED or ACTIVE");
    }
    Job resumed =
        job.toBuilder()
            .setState(JobState.JOB_STATE_ACTIVE)
            .clearPausedReason()
            .setUpdateTimeMs(op.getNowMs())
            .setVersion(job.getVersion() + 1)
            .build();
    state.putJob(resumed);
    long latestMs = resumed.getNextFireMs();
    boolean latestLive =
        latestMs > 0
            && state
                .execution(ExecutionIds.of(job.getNamespace(), job.getName(), latestMs))
                .map(Executions::isLive)
                .orElse(false);
    if (!latestLive) {
      int shardCount = state.shardMap().map(ShardMap::getOwnersCount).orElse(0);
      CompleteOps.advance(
          state,
          resumed,
          latestMs,
          false,
          op.getNextFireMs(),
          op.getMisfire(),
          shardCount,
          op.getNowMs());
    }
    return OpResult.newBuilder()
        .setJob(state.job(job.getNamespace(), job.getName()).orElseThrow())
        .build();
  }

  private static OpResult notFound(String namespace, String name) {
    return Results.reject(
        RejectCode.REJECT_NOT_FOUND, "job " + ExecutionIds.jobKey(namespace, name) + " not found");
  }

  private static OpResult wrongState(Job job, String verb, String needed) {
    return Results.reject(
        RejectCode.REJECT_JOB_STATE,
        "job "
            + ExecutionIds.jobKey(job.getNamespace(), job.getName())
            + " is "
            + job.getState().name().replaceFirst("^JOB_STATE_", "")
            + "; only a job in state "
            + needed
            + " can be "
            + verb);
  }
}
