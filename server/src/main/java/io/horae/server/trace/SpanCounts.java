package io.horae.server.trace;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Makes the export queue's bound visible: {@code horae.tracing.spans} counts sampled spans as they
 * end ({@code outcome=ended}, offered to the queue) and as export requests succeed or fail ({@code
 * exported}, {@code failed}); ended minus the other two is what is queued or was dropped at the
 * bound, {@code horae.tracing.queue.max}. Registered only when tracing is on.
 */
final class SpanCounts {
  private final Counter ended;
  private final Counter exported;
  private final Counter failed;

  SpanCounts(MeterRegistry registry, int queueMax) {
    String description =
        "spans of attempts and API calls: ended (offered to the export queue), exported, failed to export";
    ended =
        Counter.builder("horae.tracing.spans")
            .tag("outcome", "ended")
            .description(description)
            .register(registry);
    exported =
        Counter.builder("horae.tracing.spans")
            .tag("outcome", "exported")
            .description(description)
            .register(registry);
    failed =
        Counter.builder("horae.tracing.spans")
            .tag("outcome", "failed")
            .description(description)
            .register(registry);
    Gauge.builder("horae.tracing.queue.max", () -> queueMax)
        .description("capacity of the span export queue (tracing.queueMax)")
        .register(registry);
  }

  /** Counts spans as they end; put it before the batch processor. */
  SpanProcessor endings() {
    return new SpanProcessor() {
      @Override
      public void onStart(Context parent, ReadWriteSpan span) {}

      @Override
      public boolean isStartRequired() {
        return false;
      }

      @Override
      public void onEnd(ReadableSpan span) {
        if (span.getSpanContext().isSampled()) {
          ended.increment(); // The batch processor takes sampled spans only.
        }
      }

      @Override
      public boolean isEndRequired() {
        return true;
      }
    };
  }

  /** {@code exporter}, counting the spans of each request by its result. */
  SpanExporter counting(SpanExporter exporter) {
    return new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        int n = spans.size();
        CompletableResultCode result = exporter.export(spans);
        result.whenComplete(() -> (result.isSuccess() ? exported : failed).increment(n));
        return result;
      }

      @Override
      public CompletableResultCode flush() {
        return exporter.flush();
      }

      @Override
      public CompletableResultCode shutdown() {
        return exporter.shutdown();
      }
    };
  }
}
