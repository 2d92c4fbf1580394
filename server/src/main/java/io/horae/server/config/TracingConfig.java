package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Traces of execution attempts and API calls, sent to an OpenTelemetry collector over OTLP
 * (docs/tracing.md). Off by default: with no endpoint the node builds no tracer, exporter or queue,
 * and an attempt costs what it cost before tracing existed.
 *
 * @param otlpEndpoint the collector's OTLP/HTTP base URL, e.g. {@code http://127.0.0.1:4318} (spans
 *     go to {@code <endpoint>/v1/traces}); empty turns tracing off
 * @param serviceName {@code service.name} of the node's spans
 * @param sampleRatio share of new traces kept (0 to 1), decided from the trace id so every node and
 *     every attempt of an execution decides alike; a traceparent the job or the API caller gave is
 *     followed as it says
 * @param queueMax ended spans waiting for export; beyond it new spans are dropped (and counted by
 *     the SDK), never queued without bound
 * @param batchMax spans per export request, at most {@code queueMax}
 * @param exportInterval longest time an ended span waits before its batch is sent
 */
public record TracingConfig(
    String otlpEndpoint,
    String serviceName,
    double sampleRatio,
    int queueMax,
    int batchMax,
    Duration exportInterval) {
  public static final String OTLP_ENDPOINT_DEFAULT = "";
  public static final String SERVICE_NAME_DEFAULT = "horae";
  public static final double SAMPLE_RATIO_DEFAULT = 1.0;
  public static final int QUEUE_MAX_DEFAULT = 2048;
  public static final int BATCH_MAX_DEFAULT = 512;
  public static final Duration EXPORT_INTERVAL_DEFAULT = Duration.ofSeconds(5);

  public static final TracingConfig OFF =
      new TracingConfig(
          OTLP_ENDPOINT_DEFAULT,
          SERVICE_NAME_DEFAULT,
          SAMPLE_RATIO_DEFAULT,
          QUEUE_MAX_DEFAULT,
          BATCH_MAX_DEFAULT,
          EXPORT_INTERVAL_DEFAULT);

  public TracingConfig {
    Objects.requireNonNull(otlpEndpoint, "otlpEndpoint");
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(exportInterval, "exportInterval");
    if (sampleRatio < 0 || sampleRatio > 1) {
      throw new IllegalArgumentException(
          "tracing.sampleRatio must be between 0 and 1, got " + sampleRatio);
    }
    if (queueMax < 1 || batchMax < 1 || batchMax > queueMax) {
      throw new IllegalArgumentException(
          "tracing.batchMax must be between 1 and tracing.queueMax, got "
              + batchMax
              + " and "
              + queueMax);
    }
  }

  /** Whether spans are made and exported at all. */
  public boolean enabled() {
    return !otlpEndpoint.isEmpty();
  }
}
