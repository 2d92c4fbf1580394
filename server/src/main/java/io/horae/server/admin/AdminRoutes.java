package io.horae.server.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the admin endpoints. Unknown paths get 404; known paths answer only GET (405 otherwise).
 * Responses are small and built in memory, so a handler never blocks on anything but the socket.
 */
final class AdminRoutes implements HttpHandler {
  static final String LIVE_PATH = "/health/live";
  static final String READY_PATH = "/health/ready";
  static final String METRICS_PATH = "/metrics";
  static final String TEXT_CONTENT_TYPE = "text/plain; charset=utf-8";

  /** Prometheus text exposition format, which {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  /** What the registry is asked for: the text format of {@link #PROMETHEUS_CONTENT_TYPE}. */
  private static final String PROMETHEUS_CONTENT_TYPE_ASKED = "text/plain; version=0.0.4";

  /** Most {@code name[]} parameters one scrape may name. */
  static final int NAMES_MAX = 64;

  private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);

  private final PrometheusMeterRegistry registry;
  private final Readiness ready;

  /** Whether a /metrics request with this Authorization header (null if none) may read. */
  private final java.util.function.Predicate<String> metricsAllowed;

  AdminRoutes(
      PrometheusMeterRegistry registry,
      Readiness ready,
      java.util.function.Predicate<String> metricsAllowed) {
    this.registry = registry;
    this.ready = ready;
    this.metricsAllowed = metricsAllowed;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      if (!path.equals(LIVE_PATH) && !path.equals(READY_PATH) && !path.equals(METRICS_PATH)) {
        send(exchange, 404, TEXT_CONTENT_TYPE, "not found");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, TEXT_CONTENT_TYPE, "method not allowed");
      } else if (path.equals(METRICS_PATH)
          && !metricsAllowed.test(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        send(exchange, 401, TEXT_CONTENT_TYPE, "a bearer token of auth.accessFile is required");
      } else {
        answer(exchange, path);
      }
    } catch (IOException e) {
      // The client went away mid-response; nothing to repair.
      log.debug("admin response failed path={} error={}", path, e.toString());
    }
  }

  private void answer(HttpExchange exchange, String path) throws IOException {
    String body;
    int status = 200;
    String contentType = TEXT_CONTENT_TYPE;
    try {
      switch (path) {
        case LIVE_PATH -> body = "ok";
        case READY_PATH -> {
          java.util.Optional<String> why = ready.notReadyBecause();
          status = why.isEmpty() ? 200 : 503;
          body = why.map(w -> "not ready: " + w).orElse("ready");
        }
        case METRICS_PATH -> {
          Set<String> names = names(exchange.getRequestURI().getRawQuery());
          if (names != null && names.size() > NAMES_MAX) {
            status = 400;
            body = "at most " + NAMES_MAX + " name[] parameters";
          } else {
            body = scrapeOnPlatformThread(names);
            contentType = PROMETHEUS_CONTENT_TYPE;
          }
        }
        default -> throw new AssertionError("unrouted path " + path);
      }
    } catch (RuntimeException e) {
      // A failing readiness check or meter must not take the endpoint down; answer and go on.
      log.warn("admin request failed path={} error={}", path, e.toString(), e);
      status = 500;
      body = "internal error";
      contentType = TEXT_CONTENT_TYPE;
    }
    send(exchange, status, contentType, body);
  }

  /**
   * The registry's scrape, run on a platform thread of its own. Exchanges run on virtual threads
   * (see {@link AdminExchanges}), and on a virtual thread JDK 25's {@code BufferedWriter}, which
   * the Prometheus text writer uses, starts at 512 chars and grows to each write's exact need up to
   * 8,192: about 1,500 array copies, some 20 MB allocated per scrape of a node's metrics. A bench
   * that sampled memory once a second made this 60 % of the node's allocations per delivery. A
   * thread per scrape costs tens of microseconds.
   */
  private String scrapeOnPlatformThread(Set<String> names) throws IOException {
    FutureTask<String> scrape =
        new FutureTask<>(
            () ->
                names == null
                    ? registry.scrape()
                    : registry.scrape(PROMETHEUS_CONTENT_TYPE_ASKED, names));
    Thread.ofPlatform().name("horae-metrics-scrape").daemon().start(scrape);
    try {
      return scrape.get();
    } catch (InterruptedException e) {
      // The exchange's deadline passed (AdminExchanges interrupts it); the scrape ends by itself.
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("metrics scrape cut at admin.requestTimeout");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    }
  }

  /**
   * The metric families a scrape names with {@code name[]} parameters (Prometheus' convention, by
   * their exposition names, e.g. {@code jvm_memory_used_bytes}), or null for all of them. A scraper
   * that wants two gauges once a second need not pay for every histogram: a bench sampling memory
   * that way spent 2-3 % of each node's CPU on the whole scrape.
   */
  static Set<String> names(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      if (key.equals("name[]")) {
        names.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        if (names.size() > NAMES_MAX) {
          break;
        }
      }
    }
    return names.isEmpty() ? null : names;
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
