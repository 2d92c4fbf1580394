package io.horae.server.exec;

import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.function.Supplier;

/**
 * The tracer's id source: random span ids, and for an attempt without a parent the execution's own
 * trace id ({@link TraceContext#traceId}) instead of a random one. That id is derived from the
 * execution id, so every attempt of an execution, on whatever node, lands in one trace, as the
 * traceparent header always said.
 *
 * <p>The SDK asks for a trace id on the thread that starts a span, inside {@code startSpan}; the id
 * to use is handed over in a thread-local set only around that call ({@link #startingIn}).
 */
public final class AttemptTraceIds implements IdGenerator {
  private final IdGenerator random = IdGenerator.random();

  /** The trace id of the root span being started on this thread, else null. */
  private final ThreadLocal<String> next = new ThreadLocal<>();

  /** Runs {@code start} (a span start) so that a root span it makes gets {@code traceId}. */
  <T> T startingIn(String traceId, Supplier<T> start) {
    next.set(traceId);
    try {
      return start.get();
    } finally {
      next.remove();
    }
  }

  @Override
  public String generateSpanId() {
    return random.generateSpanId();
  }

  @Override
  public String generateTraceId() {
    String given = next.get();
    return given != null ? given : random.generateTraceId();
  }
}
