package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
}
