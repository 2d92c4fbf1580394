package io.horae.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver example of {@code docs/webhooks.md}, run as a real HTTP server on loopback and
 * called over HTTP with signed requests: a good delivery is handled once, a repeat of its {@code
 * Idempotency-Key} is acknowledged without handling, a forged one is refused, and a delivery whose
 * handling failed is handled again on retry.
 */
class WebhookReceiverExampleTest {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
  private static final String SECRET = KnownAnswer.SECRET;

  private final List<String> handled = new CopyOnWriteArrayList<>();
  private final AtomicBoolean failNextHandle = new AtomicBoolean();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(CALL_TIMEOUT).build();
  private HttpServer server;

  @BeforeEach
  void startReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // From here to the end of the method: the example of docs/webhooks.md, with SECRET inlined.
    WebhookVerifier verifier = WebhookVerifier.builder().secret(SECRET).build();
    IdempotencyDedup dedup = IdempotencyDedup.builder().build();
    server.createContext(
        "/hooks/report",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          try {
            verifier.verify(exchange.getRequestHeaders(), body);
          } catch (WebhookVerificationException e) {
            exchange.sendResponseHeaders(401, -1); // e.reason() says why; log it, not the body
            return;
          }
          String key = exchange.getRequestHeaders().getFirst(WebhookHeaders.IDEMPOTENCY_KEY);
          int status = 204; // a repeat is acknowledged, not processed again
          if (key == null || dedup.firstTime(key)) {
            try {
              handle(body);
            } catch (RuntimeException e) {
              if (key != null) {
                dedup.forget(key); // lets Horae's retry through
              }
              status = 500;
            }
          }
          exchange.sendResponseHeaders(status, -1);
        });
    server.start();
  }

  @AfterEach
  void stopReceiver() {
    server.stop(0);
  }

  private void handle(byte[] body) {
    if (failNextHandle.getAndSet(false)) {
      throw new IllegalStateException("handler failed");
    }
    handled.add(new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void handlesASignedDeliveryOnceAndAcknowledgesItsRepeat() throws Exception {
    assertThat(post("exec-1", "{\"n\":1}", SECRET)).isEqualTo(204);
    assertThat(post("exec-1", "{\"n\":1}", SECRET)).isEqualTo(204);
    assertThat(post("exec-2", "{\"n\":2}", SECRET)).isEqualTo(204);

    assertThat(handled).containsExactly("{\"n\":1}", "{\"n\":2}");
  }

  @Test
  void refusesADeliverySignedWithAnotherSecret() throws Exception {
    assertThat(post("exec-1", "{\"n\":1}", KnownAnswer.ROTATED_SECRET)).isEqualTo(401);

    assertThat(handled).isEmpty();
  }

  @Test
  void handlesTheRetryOfADeliveryWhoseHandlingFailed() throws Exception {
    failNextHandle.set(true);

    assertThat(post("exec-1", "{\"n\":1}", SECRET)).isEqualTo(500);
    assertThat(post("exec-1", "{\"n\":1}", SECRET)).isEqualTo(204);

    assertThat(handled).containsExactly("{\"n\":1}");
  }

  /** Posts a delivery signed now, as Horae would, and returns the HTTP status. */
  private int post(String executionId, String body, String secret) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    String messageId = "msg_" + executionId;
    String signature =
        new WebhookSigner(List.of(WebhookSecret.parse(secret))).sign(messageId, now, bytes);
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/report"))
            .timeout(CALL_TIMEOUT)
            .header(WebhookHeaders.ID, messageId)
            .header(WebhookHeaders.TIMESTAMP, String.valueOf(now))
            .header(WebhookHeaders.SIGNATURE, signature)
            .header(WebhookHeaders.IDEMPOTENCY_KEY, executionId)
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
