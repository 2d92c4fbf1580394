package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.internal.v1.AttemptResult;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The attempt span without a cluster: a real SDK tracer whose ended spans go to a list. Checks the
 * two ways an attempt joins its execution's trace (the job's traceparent, or the id derived from
 * the execution id), the header the target receives, the outcome attributes, and that the off
 * tracer makes nothing.
 */
class AttemptTracerTest {
  private final List<SpanData> ended = new CopyOnWriteArrayList<>();
  private final AttemptTraceIds ids = new AttemptTraceIds();
  private final SdkTracerProvider provider =
      SdkTracerProvider.builder()
          .setIdGenerator(ids)
          .addSpanProcessor(SimpleSpanProcessor.create(new ListExporter()))
          .build();
  private final AttemptTracer tracer = AttemptTracer.of(provider.get("test"), ids, "n2");
  private final Held held = new Held("default/j@1000", "default", "j", 1_000, 1_000, 2, 5, 7);

  @AfterEach
  void close() {
    provider.close();
  }

  @Test
  void theOffTracerStartsNoSpan() {
    assertThat(AttemptTracer.OFF.enabled()).isFalse();
    assertThat(AttemptTracer.OFF.start(job(""), held, 0)).isNull();
  }

  @Test
  void anAttemptOfAJobWithATraceparentIsItsChildAndFollowsItsSampling() {
    AttemptSpan span =
        tracer.start(job("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), held, 1_000);

    assertThat(span.traceparent())
        .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-" + span.spanId() + "-01");
    span.end(Outcome.response(200, 5), AttemptResult.getDefaultInstance());

    SpanData s = ended.get(0);
    assertThat(s.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(s.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(s.getSpanId()).isEqualTo(span.spanId());
    assertThat(s.getAttributes().get(AttemptSpan.NODE)).isEqualTo("n2");
    assertThat(s.getAttributes().get(AttemptSpan.SHARD)).isEqualTo(5L);
    assertThat(s.getAttributes().get(AttemptSpan.ATTEMPT)).isEqualTo(2L);
    assertThat(s.getAttributes().get(AttemptSpan.EXECUTION_ID)).isEqualTo("default/j@1000");
    assertThat(s.getAttributes().get(AttemptSpan.HTTP_STATUS)).isEqualTo(200L);
    assertThat(s.getAttributes().get(AttemptSpan.OUTCOME)).isEqualTo("succeeded");
    assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void anUnsampledTraceparentGivesAnUnrecordedSpanWhoseHeaderSaysSo() {
    AttemptSpan span =
        tracer.start(job("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"), held, 1_000);
    span.end(Outcome.response(200, 5), AttemptResult.getDefaultInstance());

    assertThat(span.traceparent())
        .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
        .endsWith("-00");
    assertThat(ended).isEmpty();
  }

  @Test
  void anAttemptWithoutTraceparentIsARootInTheExecutionsDerivedTrace() {
    AttemptSpan first = tracer.start(job(""), held, 1_000);
    AttemptSpan second = tracer.start(job(""), held, 2_000);
    first.end(Outcome.response(503, 5), AttemptResult.newBuilder().setRetryAtMs(3_000).build());
    second.end(Outcome.response(404, 5), AttemptResult.getDefaultInstance());

    String derived = TraceContext.traceId("", "default/j@1000");
    assertThat(ended).extracting(SpanData::getTraceId).containsOnly(derived);
    assertThat(ended).extracting(SpanData::getParentSpanId).containsOnly("0000000000000000");
    assertThat(first.spanId()).isNotEqualTo(second.spanId());
    assertThat(ended.get(0).getAttributes().get(AttemptSpan.OUTCOME)).isEqualTo("retrying");
    assertThat(ended.get(1).getAttributes().get(AttemptSpan.OUTCOME)).isEqualTo("dead");
    assertThat(ended.get(1).getAttributes().get(AttemptSpan.ERROR_TYPE)).isEqualTo("404");
    assertThat(ended.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    // Outside an attempt's start, the ids are the SDK's own random ones.
    assertThat(ids.generateTraceId()).isNotEqualTo(derived);
  }

  @Test
  void anAttemptStoppedAtTheFenceEndsWithoutAResult() {
    tracer.start(job(""), held, 1_000).endWithoutResult("fenced");

    assertThat(ended.get(0).getAttributes().get(AttemptSpan.OUTCOME)).isEqualTo("fenced");
    assertThat(ended.get(0).getAttributes().get(AttemptSpan.HTTP_STATUS)).isNull();
  }

  private static Job job(String traceparent) {
    return Job.newBuilder()
        .setNamespace("default")
        .setName("j")
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:1/x"))
        .setTraceparent(traceparent)
        .build();
  }

  private final class ListExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      ended.addAll(spans);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
