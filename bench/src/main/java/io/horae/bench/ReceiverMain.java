package io.horae.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The bench's webhook target in a JVM of its own ({@link Receiver} starts it): answers 200 at once,
 * stamps every request on arrival and writes one line per request to its stdout, {@code A key
 * scheduledMs arrivedMs node} separated by tabs (after a first line {@code PORT n}). It keeps
 * nothing, so its collector's pauses stay short; the bench JVM's own pauses (its load, its
 * bookkeeping of every arrival: 20-125 ms each on two cores) then delay the reading of these lines,
 * not the stamps. It stops when its stdin closes: the bench stopped, or died.
 */
final class ReceiverMain {
  /** Lines stamped and not yet written; past it a line is dropped and counted ({@code D n}). */
  static final int QUEUE_MAX = 1 << 20;

  /** Lines written per flush at most. */
  static final int WRITE_BATCH_MAX = 8192;

  private ReceiverMain() {}

  public static void main(String[] args) throws IOException {
    BlockingQueue<String> lines = new ArrayBlockingQueue<>(QUEUE_MAX);
    AtomicLong dropped = new AtomicLong();
    HttpServer server =
        serve(
            line -> {
              if (!lines.offer(line)) {
                dropped.incrementAndGet();
              }
            });
    PrintStream out =
        new PrintStream(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
            false,
            StandardCharsets.UTF_8);
    out.print("PORT " + server.getAddress().getPort() + "\n");
    out.flush();
    Thread.ofPlatform().daemon().name("receiver-writer").start(() -> write(lines, dropped, out));
    try (InputStream in = System.in) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    server.stop(0);
    System.exit(0);
  }

  /** Serves on 127.0.0.1 (a free port), handing each request's line to {@code lines}. */
  static HttpServer serve(Consumer<String> lines) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
    server.createContext("/", exchange -> handle(exchange, lines));
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return server;
  }

  private static void handle(HttpExchange exchange, Consumer<String> lines) throws IOException {
    long now = System.currentTimeMillis();
    try (exchange;
        InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      String scheduled = exchange.getRequestHeaders().getFirst("X-Horae-Scheduled-Time");
      String node = exchange.getRequestHeaders().getFirst("X-Horae-Node");
      long scheduledMs = scheduled == null ? 0 : Instant.parse(scheduled).toEpochMilli();
      lines.accept(
          "A\t"
              + clean(key, "")
              + "\t"
              + scheduledMs
              + "\t"
              + now
              + "\t"
              + clean(node, "?")
              + "\n");
      exchange.sendResponseHeaders(200, -1);
    }
  }

  /** A header value as one field: no tab or line break can end it early. */
  private static String clean(String value, String absent) {
    return value == null ? absent : value.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }

  private static void write(BlockingQueue<String> lines, AtomicLong dropped, PrintStream out) {
    List<String> batch = new ArrayList<>(WRITE_BATCH_MAX);
    long reported = 0;
    try {
      while (true) {
        batch.add(lines.take());
        lines.drainTo(batch, WRITE_BATCH_MAX - 1);
        for (String line : batch) {
          out.print(line);
        }
        batch.clear();
        long d = dropped.get();
        if (d != reported) {
          out.print("D\t" + d + "\n");
          reported = d;
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
