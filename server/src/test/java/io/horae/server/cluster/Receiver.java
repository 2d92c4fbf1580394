package io.horae.server.cluster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * A real HTTP webhook receiver on 127.0.0.1 for tests: records every request with its arrival time
 * and answers with a status chosen by the test (200 by default).
 */
public final class Receiver implements AutoCloseable {
  /**
   * One received request. {@code attemptTime} and {@code scheduledTime} are the
   * X-Horae-Attempt-Time and X-Horae-Scheduled-Time headers (null when absent); {@code status} is
   * what we answered.
   */
  public record Delivery(
      String path,
      String idempotencyKey,
      String userAgent,
      String attempt,
      byte[] body,
      long receivedMs,
      String node,
      String attemptTime,
      String scheduledTime,
      int status) {
    /** The scheduled time, from the key {@code namespace/name@scheduledMillis[.m][.c...]}. */
    public long scheduledMs() {
      String rest = idempotencyKey.substring(idempotencyKey.lastIndexOf('@') + 1);
      int dot = rest.indexOf('.');
      return Long.parseLong(dot < 0 ? rest : rest.substring(0, dot));
    }
  }

  /** One received request with all its headers (names lower-case), for signature checks. */
  public record Request(Map<String, List<String>> headers, byte[] body) {
    /** The first value of a header, or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  /** More than any test holds at once: a held request keeps its thread. */
  private static final int THREADS = 64;

  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final ConcurrentLinkedQueue<Delivery> received = new ConcurrentLinkedQueue<>();
  private volatile IntSupplier status = () -> 200;

  /** Requests as they arrive, before they are answered (status 0). */
  private final ConcurrentLinkedQueue<Delivery> arrived = new ConcurrentLinkedQueue<>();

  private record Hold(String path, CountDownLatch gate, long maxMs) {}

  private final Map<String, Hold> holds = new java.util.concurrent.ConcurrentHashMap<>();

  /** The Location header of every answer, when set (redirect tests). */
  private volatile String location;

  public Receiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.setExecutor(pool);
    server.createContext(
        "/",
        exchange -> {
          byte[] body;
          try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
          }
          arrived.add(delivery(exchange, body, 0));
          Hold h = holds.get(exchange.getRequestURI().getPath());
          if (h != null) {
            try {
              h.gate().await(h.maxMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          int answer = status.getAsInt();
          received.add(delivery(exchange, body, answer));
          Map<String, List<String>> headers = new TreeMap<>();
          exchange
              .getRequestHeaders()
              .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
          requests.add(new Request(Map.copyOf(headers), body));
          String to = location;
          if (to != null) {
            exchange.getResponseHeaders().set("Location", to);
          }
          exchange.sendResponseHeaders(answer, -1);
          exchange.close();
        });
    server.start();
  }

  private static Delivery delivery(HttpExchange exchange, byte[] body, int answer) {
    return new Delivery(
        exchange.getRequestURI().getPath(),
        exchange.getRequestHeaders().getFirst("Idempotency-Key"),
        exchange.getRequestHeaders().getFirst("User-Agent"),
        exchange.getRequestHeaders().getFirst("X-Horae-Attempt"),
        body,
        System.currentTimeMillis(),
        exchange.getRequestHeaders().getFirst("X-Horae-Node"),
        exchange.getRequestHeaders().getFirst("X-Horae-Attempt-Time"),
        exchange.getRequestHeaders().getFirst("X-Horae-Scheduled-Time"),
        answer);
  }

  /**
   * Requests to {@code path} are answered only once {@code gate} opens, or after {@code maxMs};
   * each path has its own gate.
   */
  public void hold(String path, CountDownLatch gate, long maxMs) {
    holds.put(path, new Hold(path, gate, maxMs));
  }

  /** Every request so far as it arrived, answered or not (status 0). */
  public List<Delivery> arrivals() {
    return List.copyOf(arrived);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public List<Delivery> deliveries() {
    return List.copyOf(received);
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public void answer(IntSupplier status) {
    this.status = status;
  }

  /**
   * Answers every request with {@code status} and a Location header pointing at {@code location}.
   */
  public void redirect(int status, String location) {
    this.location = location;
    this.status = () -> status;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
