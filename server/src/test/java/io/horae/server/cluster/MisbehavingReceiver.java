package io.horae.server.cluster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A webhook target on 127.0.0.1 that misbehaves on purpose, written on plain sockets so that it can
 * do what an HTTP server library will not: stall after the headers, reset the connection, stream a
 * huge body. Per path, a script maps the n-th request (1-based) to a behaviour. Every request is
 * recorded with its headers and arrival time. One connection per request.
 */
final class MisbehavingReceiver implements AutoCloseable {
  /** What to do with one request. */
  sealed interface Behaviour {}

  /** A normal response with these headers and a small body. */
  record Answer(int status, Map<String, String> headers, String body) implements Behaviour {}

  /** Sends the status line and headers (announcing a body), then nothing until closed. */
  record StallAfterHeaders() implements Behaviour {}

  /** Closes the connection with a TCP reset before answering. */
  record Reset() implements Behaviour {}

  /** A 200 with a body of this many bytes, streamed. */
  record HugeBody(long bytes) implements Behaviour {}

  /** One request as it arrived. */
  record Request(String path, Map<String, String> headers, long receivedMs) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  static Answer status(int code) {
    return new Answer(code, Map.of(), "");
  }

  static Answer status(int code, String header, String value) {
    return new Answer(code, Map.of(header, value), "");
  }

  private static final int CONNECTIONS_MAX = 64;
  private static final long STALL_SECONDS_MAX = 60;
  private static final int HEADER_BYTES_MAX = 64 * 1024;
  private final ServerSocket server;
  private final ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS_MAX);
  private final Map<String, IntFunction<Behaviour>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Request> received = new ConcurrentLinkedQueue<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final Thread acceptor;

  MisbehavingReceiver() throws IOException {
    server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    acceptor = Thread.ofPlatform().name("misbehaving-receiver").daemon().start(this::accept);
  }

  /** From now on, the n-th request to this path gets {@code script.apply(n)}. */
  void script(String path, IntFunction<Behaviour> script) {
    scripts.put(path, script);
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getLocalPort() + path;
  }

  List<Request> requests(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        pool.execute(() -> serve(s));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String requestLine = line(in);
      Map<String, String> headers = new HashMap<>();
      int headerBytes = 0;
      for (String l = line(in); !l.isEmpty(); l = line(in)) {
        headerBytes += l.length();
        if (headerBytes > HEADER_BYTES_MAX) {
          return;
        }
        int colon = l.indexOf(':');
        if (colon > 0) {
          headers.put(
              l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
      }
      long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
      in.readNBytes((int) Math.min(length, 1 << 20));
      String path = requestLine.split(" ")[1];
      received.add(new Request(path, Map.copyOf(headers), System.currentTimeMillis()));
      int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      Behaviour b = scripts.getOrDefault(path, i -> status(200)).apply(n);
      behave(socket, b);
    } catch (IOException | RuntimeException e) {
      // The client hung up or sent garbage: nothing to record beyond what was.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void behave(Socket socket, Behaviour b) throws IOException, InterruptedException {
    OutputStream out = socket.getOutputStream();
    switch (b) {
      case Answer a -> {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + a.status() + " X\r\n");
        a.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
      }
      case StallAfterHeaders s -> {
        out.write(
            "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Hold until the client gives up (its timeout closes the socket) or the test ends.
        socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(STALL_SECONDS_MAX));
        while (socket.getInputStream().read() >= 0 && closing.getCount() > 0) {
          // Discard anything the client sends.
        }
      }
      case Reset r -> {
        socket.setSoLinger(true, 0);
        socket.close();
      }
      case HugeBody h -> {
        out.write(
            ("HTTP/1.1 200 OK\r\nContent-Length: " + h.bytes() + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < chunk.length; i++) {
          chunk[i] = (byte) ('a' + i % 26);
        }
        for (long sent = 0; sent < h.bytes(); sent += chunk.length) {
          out.write(chunk, 0, (int) Math.min(chunk.length, h.bytes() - sent));
        }
        out.flush();
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        sb.append((char) c);
      }
      if (sb.length() > HEADER_BYTES_MAX) {
        throw new IOException("header line too long");
      }
    }
    return sb.toString();
  }

  @Override
  public void close() {
    closing.countDown();
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    pool.shutdownNow();
    try {
      acceptor.join(2000);
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
