package io.horae.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.server.config.HostPort;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoints as a probe or Prometheus sees them: a real JDK HTTP client against the server
 * on a free loopback port.
 */
class AdminServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Why the node is not ready; null once it is. */
  private final AtomicReference<String> notReady = new AtomicReference<>("catching up");

  private final Readiness ready = () -> Optional.ofNullable(notReady.get());
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private AdminServer server;

  @BeforeEach
  void start() {
    server = new AdminServer(new HostPort("127.0.0.1", 0), registry, ready);
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    client.close();
    registry.close();
  }

  @Test
  void liveAnswersOkWhileRunning() throws Exception {
    HttpResponse<String> r = get("/health/live");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
    assertThat(r.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
  }

  @Test
  void readyAnswers503WithTheReasonUntilTheNodeIsReadyThen200() throws Exception {
    HttpResponse<String> before = get("/health/ready");
    notReady.set(null);
    HttpResponse<String> after = get("/health/ready");

    assertThat(before.statusCode()).isEqualTo(503);
    assertThat(before.body()).isEqualTo("not ready: catching up");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.body()).isEqualTo("ready");
  }

  @Test
  void metricsServesRegisteredCountersInPrometheusTextFormat() throws Exception {
    Counter.builder("horae.test.deliveries").tag("node", "n1").register(registry).increment(3);

    HttpResponse<String> r = get("/metrics");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(r.body()).contains("horae_test_deliveries_total{node=\"n1\"} 3.0");
  }

  @Test
  void aScrapeThatNamesMetricFamiliesGetsOnlyThose() throws Exception {
    Counter.builder("horae.test.deliveries").register(registry).increment(3);
    Counter.builder("horae.test.refusals").register(registry).increment(2);
    io.micrometer.core.instrument.Gauge.builder("horae.test.rss", () -> 7.0)
        .baseUnit("bytes")
        .register(registry);

    HttpResponse<String> r =
        get("/metrics?name%5B%5D=horae_test_rss_bytes&name%5B%5D=horae_test_refusals");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("horae_test_rss_bytes 7.0", "horae_test_refusals_total 2.0")
        .doesNotContain("horae_test_deliveries");
  }

  @Test
  void aScrapeNamingTooManyFamiliesIsRefused() throws Exception {
    StringBuilder query = new StringBuilder("/metrics?");
    for (int i = 0; i <= AdminRoutes.NAMES_MAX; i++) {
      query.append("name%5B%5D=m").append(i).append('&');
    }

    HttpResponse<String> r = get(query.toString());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("name[]");
  }

  @Test
  void unknownPathsAnswer404() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/health").statusCode()).isEqualTo(404);
    assertThat(get("/metrics/extra").statusCode()).isEqualTo(404);
  }

  @Test
  void methodsOtherThanGetAnswer405WithAllowHeader() throws Exception {
    HttpRequest post =
        HttpRequest.newBuilder(uri("/metrics"))
            .timeout(TIMEOUT)
            .POST(HttpRequest.BodyPublishers.ofString("x"))
            .build();

    HttpResponse<String> r = client.send(post, HttpResponse.BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("Allow")).contains("GET");
  }

  @Test
  void aFailingReadinessCheckAnswers500AndTheServerKeepsServing() throws Exception {
    try (AdminServer failing =
        new AdminServer(
            new HostPort("127.0.0.1", 0),
            registry,
            () -> {
              throw new IllegalStateException("raft not wired");
            })) {
      failing.start();
      URI ready = URI.create("http://127.0.0.1:" + failing.port() + "/health/ready");
      URI live = URI.create("http://127.0.0.1:" + failing.port() + "/health/live");

      assertThat(send(ready).statusCode()).isEqualTo(500);
      assertThat(send(live).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void startFailsNamingTheAddressWhenThePortIsTaken() {
    HostPort taken = new HostPort("127.0.0.1", server.port());
    AdminServer second = new AdminServer(taken, registry, ready);

    assertThatThrownBy(second::start)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot bind admin HTTP to 127.0.0.1:" + server.port());
    second.close();
  }

  @Test
  void closeStopsServingAndIsIdempotent() {
    int port = server.port();
    server.close();
    server.close();

    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
            .timeout(TIMEOUT)
            .build();
    assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(uri(path));
  }

  private HttpResponse<String> send(URI uri) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
