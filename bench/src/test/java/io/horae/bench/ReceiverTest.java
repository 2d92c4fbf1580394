package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench's receiver runs in a process of its own: what reaches it over HTTP arrives here with
 * its key, scheduled time, node and a stamp taken on arrival, and closing it ends that process.
 */
class ReceiverTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aDeliveryIsRecordedWithItsHeadersAndAStampFromItsArrival() throws Exception {
    try (Receiver receiver = Receiver.start(10)) {
      long before = System.currentTimeMillis();

      int status = post(receiver, "bench/steady-r-7@1000", "2026-12-07T02:00:00Z", "n2");

      assertThat(status).isEqualTo(200);
      List<Receiver.Arrival> got = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                got.addAll(receiver.drain());
                return !got.isEmpty();
              });
      Receiver.Arrival a = got.get(0);
      assertThat(a.key()).isEqualTo("bench/steady-r-7@1000");
      assertThat(a.scheduledMs()).isEqualTo(1_796_608_800_000L);
      assertThat(a.node()).isEqualTo("n2");
      assertThat(a.arrivedMs()).isBetween(before, System.currentTimeMillis());
      assertThat(receiver.total()).isEqualTo(1);
    }
  }

  @Test
  void arrivalsPastTheLimitAreCountedNotKeptAndClosingEndsTheProcess() throws Exception {
    ProcessHandle child;
    try (Receiver receiver = Receiver.start(2)) {
      child = receiver.process();
      for (int i = 0; i < 5; i++) {
        post(receiver, "bench/burst-r-" + i + "@1", null, null);
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.total() == 5);
      assertThat(receiver.overflow()).isEqualTo(3);
      assertThat(receiver.drain()).hasSize(2);
      assertThat(receiver.distinct("bench/burst-r-")).isZero(); // drained
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> !child.isAlive());
  }

  private int post(Receiver receiver, String key, String scheduled, String node) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(receiver.url()))
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString("{}"));
    if (scheduled != null) {
      b.header("X-Horae-Scheduled-Time", scheduled);
    }
    if (node != null) {
      b.header("X-Horae-Node", node);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void keepAliveConnectionsStayOpenWhenMoreThanTwoHundredAreIdle() throws Exception {
    int connections = 300; // the JDK server's default keeps 200 idle and drops the rest
    try (Receiver receiver = Receiver.start(10)) {
      URI uri = URI.create(receiver.url());
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < connections; i++) {
          Socket s = new Socket("127.0.0.1", uri.getPort());
          s.setSoTimeout(10_000);
          sockets.add(s);
          assertThat(exchange(s)).as("first call on connection %d", i).startsWith("HTTP/1.1 200");
        }
        // Every connection is idle now; each must still take a second call.
        for (int i = 0; i < connections; i++) {
          assertThat(exchange(sockets.get(i)))
              .as("second call on connection %d", i)
              .startsWith("HTTP/1.1 200");
        }
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.total() == 2L * connections);
    }
  }

  /** One POST on a kept-alive connection; its status line, or "closed" when the server hung up. */
  private static String exchange(Socket s) throws IOException {
    s.getOutputStream()
        .write(
            "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    StringBuilder head = new StringBuilder();
    InputStream in = s.getInputStream();
    int c;
    while ((c = in.read()) != -1) {
      head.append((char) c);
      if (head.toString().endsWith("\r\n\r\n")) {
        return head.toString();
      }
    }
    return "closed";
  }
}
