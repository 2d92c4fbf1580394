package io.horae.cli.dev;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The dev cluster's webhook receiver: answers 200 to every request under /hooks/ and prints one
 * line per delivery with its idempotency key, attempt and lateness, so a newcomer sees Horae work.
 */
public final class DevReceiver implements AutoCloseable {
  static final int BODY_PREVIEW_CHARS = 120;
  static final int THREADS = 8;

  private final HttpServer server;
  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final PrintStream out;

  public DevReceiver(String host, int port, PrintStream out) throws IOException {
    this.out = out;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
    server.setExecutor(pool);
    server.createContext("/hooks/", this::handle);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    long now = System.currentTimeMillis();
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(64 * 1024);
    }
    String scheduled = exchange.getRequestHeaders().getFirst("X-Horae-Scheduled-Time");
    String lateness = "";
    if (scheduled != null) {
      try {
        lateness = " late=" + (now - Instant.parse(scheduled).toEpochMilli()) + "ms";
      } catch (RuntimeException e) {
        lateness = "";
      }
    }
    String preview = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    if (preview.length() > BODY_PREVIEW_CHARS) {
      preview = preview.substring(0, BODY_PREVIEW_CHARS) + "...";
    }
    String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
    // How many secrets signed it (two during a rotation's overlap); the signatures are not shown.
    String signed = " signatures=" + (signature == null ? 0 : signature.strip().split(" +").length);
    out.printf(
        "%s delivery %s %s key=%s attempt=%s node=%s%s%s body=%s%n",
        Instant.ofEpochMilli(now),
        exchange.getRequestMethod(),
        exchange.getRequestURI().getPath(),
        exchange.getRequestHeaders().getFirst("Idempotency-Key"),
        exchange.getRequestHeaders().getFirst("X-Horae-Attempt"),
        exchange.getRequestHeaders().getFirst("X-Horae-Node"),
        lateness,
        signed,
        preview.isEmpty() ? "-" : preview);
    exchange.sendResponseHeaders(200, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
