package io.horae.server.exec;

import io.horae.api.v1.Job;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Outcome;
import io.horae.server.config.ExecConfig;

/**
 * Turns an HTTP outcome into the AttemptResult the state machine applies: whether and when to
 * retry, and, for the job's latest occurrence, when the next one is due. Everything
 * time-dependent is decided here, on the proposer, never in apply.
 */
final class Attempts {
  private final ExecConfig config;
  private final Backoff backoff;

  Attempts(ExecConfig config, Backoff backoff) {
    this.config = config;
    this.backoff = backoff;
  }

  AttemptResult result(Job job, Claimed c, io.horae.server.exec.Outcome o, long nowMs) {
    AttemptResult.Builder r =
        AttemptResult.newBuilder()
            .setExecutionId(c.executionId())
            .setOutcome(o.succeeded() ? Outcome.OUTCOME_SUCCEEDED : Outcome.OUTCOME_FAILED)
            .setHttpStatus(o.httpStatus())
            .setError(o.error())
            .setLatencyMs(o.latencyMs())
            .setFinishedMs(nowMs);
    if (!o.succeeded() && o.retryable() && c.attempt() < backoff.attemptsMax(job.getRetry())) {
      r.setRetryAtMs(nowMs + backoff.delayMs(job.getRetry(), c.attempt(), o.retryAfterMs()));
    }
    r.setNextFireMs(NextOccurrence.after(job, c.scheduledMs(), nowMs, config.misfireGrace()));
    return r.build();
  }
}
