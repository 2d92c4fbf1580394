package io.horae.server.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.server.config.AdminConfig;
import io.horae.server.config.HostPort;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow and greedy clients cannot freeze the admin port. Raw sockets on 127.0.0.1 play slowloris:
 * they open connections and dribble request bytes, or send a request and never read the answer,
 * while a well-behaved probe must still get {@code /health/live} promptly; connections past
 * admin.connectionsMax are closed at once, and a request that is still incomplete at
 * admin.requestTimeout is cut. Every socket read has a timeout, so a frozen server fails the test
 * instead of hanging it.
 */
class AdminSlowClientsTest {
  /** How long a probe may take on a server that is not frozen: generous for a loaded 2-core box. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<Socket> sockets = new ArrayList<>();
  private AdminServer server;

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
    registry.close();
  }

  @Test
  void probesAreAnsweredWhileManyClientsDribbleHeaderBytes() throws Exception {
    start(new AdminConfig(16, Duration.ofSeconds(30)));
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Socket s = open();
      send(s, "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      slow.add(s);
    }
    // One more byte each, as slowloris does every second: they stay in the middle of their headers.
    for (Socket s : slow) {
      send(s, "a");
    }

    await().atMost(PROBE_TIMEOUT).until(() -> gauge("horae.admin.http.connections") == 12);

    for (int i = 0; i < 5; i++) {
      assertThat(probe("/health/live")).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aClientThatNeverReadsItsAnswerDoesNotBlockOthers() throws Exception {
    for (int i = 0; i < 2_000; i++) {
      // About 200 KB of /metrics, so that unread answers fill the socket buffers.
      io.micrometer.core.instrument.Counter.builder(
              "horae.test.padding.a.long.meter.name.to.make.scrapes.big")
          .tag("i", Integer.toString(i))
          .register(registry);
    }
    start(new AdminConfig(16, Duration.ofSeconds(30)));
    for (int i = 0; i < 8; i++) {
      Socket s = new Socket();
      sockets.add(s);
      s.setReceiveBufferSize(4096); // before connect, so the window stays small
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) PROBE_TIMEOUT.toMillis());
      // Pipelined scrapes whose answers are never read: the server's writes fill the socket
      // buffers.
      send(s, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".repeat(200));
    }
    await().atMost(PROBE_TIMEOUT).until(() -> gauge("horae.admin.http.connections") == 8);

    assertThat(probe("/health/live")).startsWith("HTTP/1.1 200");
  }

  @Test
  void aConnectionPastTheLimitIsClosedAtOnceAndTheLimitFreesWhenClientsLeave() throws Exception {
    start(new AdminConfig(4, Duration.ofSeconds(30)));
    List<Socket> slow = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Socket s = open();
      send(s, "GET /health/live HTTP/1.1\r\n");
      slow.add(s);
    }
    await().atMost(PROBE_TIMEOUT).until(() -> gauge("horae.admin.http.connections") == 4);

    Socket refused = open();
    send(refused, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(readAll(refused)).isEmpty(); // closed without an answer
    assertThat(counter("horae.admin.http.refused")).isEqualTo(1);

    slow.get(0).close();
    await().atMost(PROBE_TIMEOUT).until(() -> gauge("horae.admin.http.connections") == 3);
    assertThat(probe("/health/live")).startsWith("HTTP/1.1 200");
  }

  @Test
  void aRequestStillIncompleteAtTheRequestTimeoutIsCut() throws Exception {
    start(new AdminConfig(4, Duration.ofMillis(300)));
    Socket slow = open();
    send(slow, "GET /health/live HTTP/1.1\r\nHost: x\r\n");

    // The server closes it: the read sees the end of the stream well before the socket timeout.
    assertThat(readAll(slow)).isEmpty();
    assertThat(counter("horae.admin.http.timeouts")).isEqualTo(1);
    await().atMost(PROBE_TIMEOUT).until(() -> gauge("horae.admin.http.connections") == 0);
    assertThat(probe("/health/live")).startsWith("HTTP/1.1 200");
  }

  @Test
  void aSilentConnectionHoldsNoSlot() throws Exception {
    start(new AdminConfig(1, Duration.ofSeconds(30)));
    for (int i = 0; i < 3; i++) {
      open(); // connects, sends nothing
    }

    assertThat(probe("/health/live")).startsWith("HTTP/1.1 200");
  }

  private void start(AdminConfig limits) {
    server =
        new AdminServer(
            new HostPort("127.0.0.1", 0), registry, () -> true, a -> true, null, limits);
    server.start();
  }

  private Socket open() throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) PROBE_TIMEOUT.toMillis());
    s.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
    return s;
  }

  private static void send(Socket s, String text) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** One request on a fresh connection; the status line and headers of the answer. */
  private String probe(String path) throws IOException {
    try (Socket s = open()) {
      send(s, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      return readAll(s);
    }
  }

  /** Everything until the server closes; a read timeout fails the test (the server froze). */
  private static String readAll(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    try {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no answer and no close within " + PROBE_TIMEOUT, e);
    } catch (java.net.SocketException e) {
      return ""; // reset by the server: closed without an answer
    }
  }

  private double gauge(String name) {
    return registry.get(name).gauge().value();
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }
}
