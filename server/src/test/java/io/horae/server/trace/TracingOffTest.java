package io.horae.server.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.server.config.TracingConfig;
import io.horae.server.exec.AttemptTracer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Tracing off (the default) must cost nothing: no provider, no exporter and its thread, no API
 * interceptor, and the executor's attempt tracer is the one that starts no span.
 */
class TracingOffTest {
  @Test
  void withoutAnEndpointNothingIsBuiltAndNoExportThreadRuns() {
    long exportThreads = exportThreads();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Tracing off = Tracing.from(TracingConfig.OFF, "n1", registry)) {
      assertThat(off.enabled()).isFalse();
      assertThat(off.attempts()).isSameAs(AttemptTracer.OFF);
      assertThat(off.apiInterceptor()).isEmpty();
      io.grpc.ServerInterceptor identity = new io.horae.server.auth.CallerIdentity();
      assertThat(off.around(identity)).isSameAs(identity);
      assertThat(exportThreads()).isEqualTo(exportThreads);
      assertThat(registry.getMeters()).isEmpty();
    }
  }

  private static long exportThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("BatchSpanProcessor"))
        .count();
  }

  @Test
  void withAnEndpointSpansGoToItsTracesPathAndTheQueueBoundIsAMetric() {
    TracingConfig on =
        new TracingConfig("http://127.0.0.1:4318", "horae", 1.0, 16, 8, Duration.ofMillis(100));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Tracing tracing = Tracing.from(on, "n1", registry)) {
      assertThat(tracing.enabled()).isTrue();
      assertThat(registry.get("horae.tracing.queue.max").gauge().value()).isEqualTo(16);
      assertThat(registry.get("horae.tracing.spans").tag("outcome", "exported").counter().count())
          .isZero();
      assertThat(tracing.attempts().enabled()).isTrue();
      assertThat(tracing.apiInterceptor()).isPresent();
    }
    assertThat(Tracing.tracesUrl("http://collector:4318"))
        .isEqualTo("http://collector:4318/v1/traces");
    assertThat(Tracing.tracesUrl("http://collector:4318/otlp/"))
        .isEqualTo("http://collector:4318/otlp/v1/traces");
  }
}
