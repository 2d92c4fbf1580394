package io.horae.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench's webhook target on 127.0.0.1: answers 200 at once and timestamps every request on
 * arrival, so lateness is measured where a user would see it. Arrivals are kept until {@link
 * #drain}; at most {@code arrivalsMax} (beyond that they are only counted), so memory stays bounded
 * whatever the scenario sizes.
 */
public final class Receiver implements AutoCloseable {
  /** One request as it arrived. */
  public record Arrival(String key, long scheduledMs, long arrivedMs, String node) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final int arrivalsMax;
  private final Object lock = new Object();
  private List<Arrival> arrivals = new ArrayList<>();
  private java.util.Set<String> keys = new java.util.HashSet<>();

  /**
   * Distinct keys since the last drain per scenario prefix (the key up to its last '-'); guarded by
   * lock.
   */
  private java.util.Map<String, Integer> distinctByPrefix = new java.util.HashMap<>();

  private final AtomicLong overflow = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  private Receiver(int arrivalsMax) throws IOException {
    this.arrivalsMax = arrivalsMax;
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static Receiver start(int arrivalsMax) throws IOException {
    return new Receiver(arrivalsMax);
  }

  /** The URL jobs target. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/bench";
  }

  private void handle(HttpExchange exchange) throws IOException {
    long now = System.currentTimeMillis();
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputSink.INSTANCE);
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      String scheduled = exchange.getRequestHeaders().getFirst("X-Horae-Scheduled-Time");
      String node = exchange.getRequestHeaders().getFirst("X-Horae-Node");
      long scheduledMs = scheduled == null ? 0 : Instant.parse(scheduled).toEpochMilli();
      record(new Arrival(key == null ? "" : key, scheduledMs, now, node == null ? "?" : node));
      exchange.sendResponseHeaders(200, -1);
    }
  }

  private void record(Arrival a) {
    total.incrementAndGet();
    synchronized (lock) {
      if (arrivals.size() < arrivalsMax) {
        arrivals.add(a);
        if (keys.add(a.key())) {
          distinctByPrefix.merge(prefixOf(a.key()), 1, Integer::sum);
        }
        return;
      }
    }
    overflow.incrementAndGet();
  }

  /** Requests received since the start. */
  public long total() {
    return total.get();
  }

  /** Arrivals not kept because the buffer was full (their figures are missing from the report). */
  public long overflow() {
    return overflow.get();
  }

  /** Hands over the arrivals kept since the last drain and starts a new buffer. */
  public List<Arrival> drain() {
    synchronized (lock) {
      List<Arrival> out = arrivals;
      arrivals = new ArrayList<>();
      keys = new java.util.HashSet<>();
      distinctByPrefix = new java.util.HashMap<>();
      return out;
    }
  }

  /**
   * Distinct keys since the last drain that start with {@code keyPrefix}, one scenario's (see
   * {@link BenchContext#keyPrefix}): late deliveries of an earlier scenario must not end the wait
   * of the next one early.
   */
  public int distinct(String keyPrefix) {
    synchronized (lock) {
      return distinctByPrefix.getOrDefault(keyPrefix, 0);
    }
  }

  /** "bench/steady-r-12@1000" to "bench/steady-r-", the prefix of its scenario's keys. */
  static String prefixOf(String key) {
    return key.substring(0, key.lastIndexOf('-') + 1);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Discards request bodies. */
  private static final class OutputSink extends java.io.OutputStream {
    static final OutputSink INSTANCE = new OutputSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
