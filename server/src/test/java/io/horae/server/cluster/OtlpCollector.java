package io.horae.server.cluster;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

/**
 * An OpenTelemetry collector in the test's process, on 127.0.0.1: accepts OTLP/HTTP protobuf
 * exports on {@code POST /v1/traces} and keeps every span it received, with its resource.
 */
public final class OtlpCollector implements AutoCloseable {
  /** One received span, ids in lower-case hex (parent empty for a root). */
  public record Span(
      String name,
      String traceId,
      String spanId,
      String parentSpanId,
      int kind,
      Map<String, AnyValue> attributes,
      Map<String, AnyValue> resource) {
    public String string(String key) {
      AnyValue v = attributes.get(key);
      return v == null ? null : v.getStringValue();
    }

    public Long number(String key) {
      AnyValue v = attributes.get(key);
      return v == null ? null : v.getIntValue();
    }
  }

  private static final HexFormat HEX = HexFormat.of();
  private final HttpServer server;
  private final ConcurrentLinkedQueue<Span> spans = new ConcurrentLinkedQueue<>();

  public OtlpCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (exchange;
              InputStream in = exchange.getRequestBody()) {
            if (!exchange.getRequestMethod().equals("POST")) {
              exchange.sendResponseHeaders(405, -1);
              return;
            }
            ExportTraceServiceRequest request =
                ExportTraceServiceRequest.parseFrom(in.readAllBytes());
            for (ResourceSpans rs : request.getResourceSpansList()) {
              Map<String, AnyValue> resource = map(rs.getResource().getAttributesList());
              for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
                  spans.add(
                      new Span(
                          s.getName(),
                          HEX.formatHex(s.getTraceId().toByteArray()),
                          HEX.formatHex(s.getSpanId().toByteArray()),
                          HEX.formatHex(s.getParentSpanId().toByteArray()),
                          s.getKindValue(),
                          map(s.getAttributesList()),
                          resource));
                }
              }
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
              exchange.getResponseBody().write(answer);
            }
          }
        });
    server.start();
  }

  private static Map<String, AnyValue> map(List<KeyValue> attributes) {
    return attributes.stream()
        .collect(Collectors.toUnmodifiableMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> b));
  }

  /** The base URL to give as tracing.otlpEndpoint. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public List<Span> spans() {
    return List.copyOf(spans);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
