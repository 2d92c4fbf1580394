package io.horae.server.cluster;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP receiver on 127.0.0.1 that is down (answers 503) until {@link #recover()}, then
 * answers 200; it records every request with the status it answered, decided as it arrived.
 */
final class RecoveringReceiver implements AutoCloseable {
  /** One request and the status it got. */
  record Hit(String idempotencyKey, String attempt, int status, long receivedMs) {}

  private static final int THREADS = 8;
  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();
  private volatile boolean up;

  RecoveringReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
    server.setExecutor(pool);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
          }
          int status = up ? 200 : 503;
          hits.add(
              new Hit(
                  exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                  exchange.getRequestHeaders().getFirst("Horae-Attempt"),
                  status,
                  System.currentTimeMillis()));
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** scheme://host:port, as the host guard names this receiver. */
  String host() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void recover() {
    up = true;
  }

  List<Hit> hits() {
    return List.copyOf(hits);
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
