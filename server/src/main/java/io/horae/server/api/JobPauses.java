package io.horae.server.api;

import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.internal.v1.GetJobQuery;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.PauseJob;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ResumeJob;
import io.horae.server.errors.RejectedException;
import io.horae.server.exec.NextOccurrence;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.Reader;
import io.horae.statemachine.core.ExecutionIds;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * PauseJob and ResumeJob of {@link JobApi}: the proposer side. Pause needs nothing but the time;
 * resume reads the job (linearizably) to compute, from this node's now, when its next occurrence is
 * due should its latest one have finished; apply decides whether to create it.
 */
final class JobPauses {
  /** The reason a job paused through the API carries (a 410 Gone carries its own). */
  static final String PAUSED_BY_REQUEST = "paused by request";

  private final Proposer proposer;
  private final Reader reader;
  private final Clock clock;
  private final Duration misfireGrace;

  JobPauses(Proposer proposer, Reader reader, Clock clock, Duration misfireGrace) {
    this.proposer = proposer;
    this.reader = reader;
    this.clock = clock;
    this.misfireGrace = misfireGrace;
  }

  /** Namespace already defaulted and checked with the name. */
  CompletableFuture<Job> pause(String ns, String name) {
    Op op =
        Op.newBuilder()
            .setPauseJob(
                PauseJob.newBuilder()
                    .setNamespace(ns)
                    .setName(name)
                    .setNowMs(clock.millis())
                    .setReason(PAUSED_BY_REQUEST))
            .build();
    return proposer.propose(op).thenApply(r -> Replies.ok(r).getJob());
  }

  /**
   * Refuses without a proposal when the read finds no job or one that is neither PAUSED nor ACTIVE
   * (apply checks again); answers an ACTIVE job as it is (idempotent). The next occurrence is
   * computed whatever the state of the latest one: apply uses it only if the latest is no longer
   * live when the resume is applied.
   */
  CompletableFuture<Job> resume(String ns, String name) {
    return reader
        .query(
            Query.newBuilder()
                .setGetJob(GetJobQuery.newBuilder().setNamespace(ns).setName(name))
                .build())
        .thenCompose(
            r -> {
              if (r.getJobsCount() == 0) {
                throw new RejectedException(
                    RejectCode.REJECT_NOT_FOUND,
                    "job " + ExecutionIds.jobKey(ns, name) + " not found");
              }
              Job job = r.getJobs(0);
              if (job.getState() == JobState.JOB_STATE_ACTIVE) {
                // Idempotent: already active (a repeat whose first answer was lost).
                return CompletableFuture.completedFuture(job);
              }
              if (job.getState() != JobState.JOB_STATE_PAUSED) {
                throw new RejectedException(
                    RejectCode.REJECT_JOB_STATE,
                    "job "
                        + ExecutionIds.jobKey(ns, name)
                        + " is "
                        + job.getState().name().replaceFirst("^JOB_STATE_", "")
                        + "; only a job in state PAUSED or ACTIVE can be resumed");
              }
              long now = clock.millis();
              NextOccurrence next =
                  job.getNextFireMs() > 0 && job.getFireCount() > 0
                      ? NextOccurrence.after(job, job.getNextFireMs(), now, misfireGrace)
                      : new NextOccurrence(0, null);
              ResumeJob.Builder resume =
                  ResumeJob.newBuilder()
                      .setNamespace(ns)
                      .setName(name)
                      .setNowMs(now)
                      .setNextFireMs(next.fireMs());
              next.noteInto(resume::setMisfire);
              Op op = Op.newBuilder().setResumeJob(resume).build();
              return proposer.propose(op).thenApply(x -> Replies.ok(x).getJob());
            });
  }
}
