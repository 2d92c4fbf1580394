package io.horae.server.trace;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.horae.server.config.TracingConfig;
import io.horae.server.exec.AttemptTraceIds;
import io.horae.server.exec.AttemptTracer;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's traces (docs/tracing.md): when {@code tracing.otlpEndpoint} is set, an OpenTelemetry
 * tracer whose ended spans a batch processor (bounded queue, bounded batches) sends to the
 * collector over OTLP/HTTP, counted by {@link SpanCounts}. Off, it holds nothing: no provider, no
 * exporter, no thread, no meter, and the executor and the API server run as they did without it.
 */
public final class Tracing implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);

  /** Instrumentation scope of every span the node makes. */
  static final String SCOPE = "io.horae.server";

  /** Deadline of one export request. */
  static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(10);

  /** How long a stop waits for the last spans to go out. */
  static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

  private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
  private static final AttributeKey<String> SERVICE_INSTANCE =
      AttributeKey.stringKey("service.instance.id");

  /** Null when off. */
  private final SdkTracerProvider provider;

  private final AttemptTracer attempts;
  private final ServerInterceptor api;

  private Tracing(SdkTracerProvider provider, AttemptTracer attempts, ServerInterceptor api) {
    this.provider = provider;
    this.attempts = attempts;
    this.api = api;
  }

  /** Tracing as {@code config} says; off when it has no endpoint. */
  public static Tracing from(TracingConfig config, String nodeId, MeterRegistry registry) {
    if (!config.enabled()) {
      return new Tracing(null, AttemptTracer.OFF, null);
    }
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(tracesUrl(config.otlpEndpoint()))
            .setTimeout(EXPORT_TIMEOUT)
            .build();
    SpanCounts counts = new SpanCounts(registry, config.queueMax());
    BatchSpanProcessor batches =
        BatchSpanProcessor.builder(counts.counting(exporter))
            .setMaxQueueSize(config.queueMax())
            .setMaxExportBatchSize(config.batchMax())
            .setScheduleDelay(config.exportInterval())
            .setExporterTimeout(EXPORT_TIMEOUT)
            .build();
    AttemptTraceIds ids = new AttemptTraceIds();
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.create(
                    Attributes.of(SERVICE_NAME, config.serviceName(), SERVICE_INSTANCE, nodeId)))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
            .setIdGenerator(ids)
            .addSpanProcessor(SpanProcessor.composite(counts.endings(), batches))
            .build();
    Tracer tracer = provider.get(SCOPE);
    LOG.info(
        "tracing on node={} endpoint={} sampleRatio={}",
        nodeId,
        config.otlpEndpoint(),
        config.sampleRatio());
    return new Tracing(
        provider, AttemptTracer.of(tracer, ids, nodeId), new ApiSpans(tracer, nodeId));
  }

  /**
   * The OTLP/HTTP traces URL under a collector's base URL, as OTEL_EXPORTER_OTLP_ENDPOINT reads.
   */
  static String tracesUrl(String endpoint) {
    return (endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint)
        + "/v1/traces";
  }

  public boolean enabled() {
    return provider != null;
  }

  /** The executor's attempt tracer: {@link AttemptTracer#OFF} when off. */
  public AttemptTracer attempts() {
    return attempts;
  }

  /** The interceptor that makes a span of each public API call; empty when off (install none). */
  public Optional<ServerInterceptor> apiInterceptor() {
    return Optional.ofNullable(api);
  }

  /**
   * {@code inner} with the API span interceptor run before it when tracing is on, else {@code
   * inner} itself: one server-wide interceptor for the API port and for the console's in-process
   * server alike.
   */
  public ServerInterceptor around(ServerInterceptor inner) {
    if (api == null) {
      return inner;
    }
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return api.interceptCall(call, headers, (c, h) -> inner.interceptCall(c, h, next));
      }
    };
  }

  /** Sends what is queued, within {@link #SHUTDOWN_TIMEOUT}, and stops the exporter. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
