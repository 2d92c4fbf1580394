package io.horae.server.exec;

import io.horae.api.v1.Job;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the span of each execution attempt (docs/tracing.md). {@link #OFF}, the default, starts
 * none: the executor then sends the traceparent it always sent, with a random span id, and no
 * OpenTelemetry object is made per attempt.
 *
 * <p>When on, an attempt's span is a child of the job's traceparent when the job has one (same
 * trace id, parent = the caller's span id, the caller's sampling decision), else a root span in the
 * execution's derived trace. The webhook request carries the span's own context as its traceparent,
 * and the attempt history records its span id.
 */
public final class AttemptTracer {
  /** No spans; the executor's path is the one it had before tracing existed. */
  public static final AttemptTracer OFF = new AttemptTracer(null, null, "");

  /** Null when off. */
  private final Tracer tracer;

  private final AttemptTraceIds ids;
  private final String nodeId;

  private AttemptTracer(Tracer tracer, AttemptTraceIds ids, String nodeId) {
    this.tracer = tracer;
    this.ids = ids;
    this.nodeId = nodeId;
  }

  /** Spans from {@code tracer}, whose provider must take its ids from {@code ids}. */
  public static AttemptTracer of(Tracer tracer, AttemptTraceIds ids, String nodeId) {
    return new AttemptTracer(tracer, ids, nodeId);
  }

  public boolean enabled() {
    return tracer != null;
  }

  /** The span of the attempt about to be sent, or null when off. */
  AttemptSpan start(Job job, Held c, long startedMs) {
    if (tracer == null) {
      return null;
    }
    String method = job.getTarget().getMethod().isEmpty() ? "POST" : job.getTarget().getMethod();
    var builder =
        tracer
            .spanBuilder("webhook " + method)
            .setSpanKind(SpanKind.CLIENT)
            .setStartTimestamp(startedMs, TimeUnit.MILLISECONDS)
            .setAttribute(AttemptSpan.NODE, nodeId)
            .setAttribute(AttemptSpan.SHARD, c.shard())
            .setAttribute(AttemptSpan.EXECUTION_ID, c.executionId())
            .setAttribute(AttemptSpan.ATTEMPT, c.attempt())
            .setAttribute(AttemptSpan.JOB, c.namespace() + "/" + c.jobName())
            .setAttribute(AttemptSpan.HTTP_METHOD, method);
    Optional<TraceContext.Parent> parent = TraceContext.parse(job.getTraceparent());
    Span span;
    if (parent.isPresent()) {
      TraceContext.Parent p = parent.get();
      SpanContext remote =
          SpanContext.createFromRemoteParent(
              p.traceId(), p.parentId(), TraceFlags.fromHex(p.flags(), 0), TraceState.getDefault());
      span = builder.setParent(Context.root().with(Span.wrap(remote))).startSpan();
    } else {
      builder.setNoParent();
      span = ids.startingIn(TraceContext.traceId("", c.executionId()), builder::startSpan);
    }
    return new AttemptSpan(span);
  }
}
