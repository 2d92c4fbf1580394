package io.horae.server.exec;

import com.google.protobuf.ByteString;
import io.horae.api.v1.Attempt;
import io.horae.api.v1.Job;
import io.horae.api.v1.RetryPolicy;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Outcome;
import io.horae.server.config.ExecConfig;
import java.time.Instant;

/**
 * Turns an HTTP outcome into the AttemptResult the state machine applies: the attempt as kept in
 * the history, whether and when to retry (or why not), whether a 410 pauses the job, and, for the
 * job's latest occurrence, when the next one is due. Everything time-dependent is decided here, on
 * the proposer, never in apply.
 */
final class Attempts {
  private final String nodeId;
  private final ExecConfig config;
  private final Backoff backoff;

  Attempts(String nodeId, ExecConfig config, Backoff backoff) {
    this.nodeId = nodeId;
    this.config = config;
    this.backoff = backoff;
  }

  AttemptResult result(Job job, Held c, io.horae.server.exec.Outcome o, long nowMs) {
    String traceId = TraceContext.traceId(job.getTraceparent(), c.executionId());
    AttemptResult.Builder r =
        AttemptResult.newBuilder()
            .setExecutionId(c.executionId())
            .setAttemptNumber(c.attempt())
            .setOutcome(o.succeeded() ? Outcome.OUTCOME_SUCCEEDED : Outcome.OUTCOME_FAILED)
            .setHttpStatus(o.httpStatus())
            .setLatencyMs(o.latencyMs())
            .setFinishedMs(nowMs)
            .setTraceId(traceId)
            .setAttempt(attempt(c, o));
    String error = o.error();
    if (!o.succeeded()) {
      RetryPolicy p = job.getRetry();
      boolean retried =
          !o.permanent() && (!o.answered() || backoff.retriedStatus(p, o.httpStatus()));
      if (!retried) {
        error += o.httpStatus() == 410 ? "; target is gone" : "; not retried";
      } else if (c.attempt() >= backoff.attemptsMax(p)) {
        error += "; attempts used up (" + c.attempt() + " of " + backoff.attemptsMax(p) + ")";
      } else {
        long retryAt = nowMs + backoff.delayMs(p, c.attempt(), o.retryAfterMs());
        if (retryAt > c.scheduledMs() + backoff.deadlineMs(p)) {
          error += "; retry deadline passed";
        } else {
          r.setRetryAtMs(retryAt);
        }
      }
      if (o.httpStatus() == 410) {
        r.setPauseReason(
            "target answered 410 Gone at "
                + Instant.ofEpochMilli(nowMs)
                + " (execution "
                + c.executionId()
                + ")");
      }
    }
    r.setError(Delivery.bounded(error));
    NextOccurrence next = NextOccurrence.after(job, c.scheduledMs(), nowMs, config.misfireGrace());
    r.setNextFireMs(next.fireMs()).setJobVersion(job.getVersion());
    next.noteInto(r::setMisfire);
    return r.build();
  }

  /** The result of an execution the overlap policy did not send; the schedule goes on. */
  AttemptResult skipped(Job job, Held c, String reason, long nowMs) {
    AttemptResult.Builder r = Overlap.skipped(c, reason, nowMs).toBuilder();
    NextOccurrence next = NextOccurrence.after(job, c.scheduledMs(), nowMs, config.misfireGrace());
    r.setNextFireMs(next.fireMs()).setJobVersion(job.getVersion());
    next.noteInto(r::setMisfire);
    return r.build();
  }

  private Attempt attempt(Held c, io.horae.server.exec.Outcome o) {
    return Attempt.newBuilder()
        .setNumber(c.attempt())
        .setNode(nodeId)
        .setStartedMs(o.startedMs())
        .setLatencyMs(o.latencyMs())
        .setHttpStatus(o.httpStatus())
        .setErrorClass(o.errorClass())
        .setError(o.error())
        .setResponseExcerpt(ByteString.copyFrom(o.excerpt()))
        .setSpanId(o.spanId())
        .build();
  }
}
