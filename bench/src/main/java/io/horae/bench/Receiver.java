package io.horae.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bench's webhook target on 127.0.0.1: answers 200 at once and timestamps every request on
 * arrival, so lateness is measured where a user would see it. The HTTP side runs in a JVM of its
 * own ({@link ReceiverMain}), like a user's receiver: stamped there, its requests are not made late
 * by this JVM's collector pauses (its client load and this bookkeeping: G1 stopped it 16-34 times a
 * minute, 20-125 ms each, on two cores, enough to put more than 1 % of a steady run's arrivals
 * behind by up to that). Arrivals are kept until {@link #drain}; at most {@code arrivalsMax}
 * (beyond that they are only counted), so memory stays bounded whatever the scenario sizes.
 */
public final class Receiver implements AutoCloseable {
  /** Idle keep-alive connections the receiver keeps open (far above what a bench opens). */
  static final int IDLE_CONNECTIONS_MAX = 4096;

  /** One request as it arrived. */
  public record Arrival(String key, long scheduledMs, long arrivedMs, String node) {}

  /**
   * The receiver JVM's flags: a small heap that a serial collector empties in a few ms, and keep-
   * alive connections the JDK's HTTP server does not drop. By default it keeps at most 200 idle and
   * closes the next one that goes idle, with no {@code Connection: close} to tell the client; a
   * node's pooled connection then fails its next call ("unexpected end of stream"), which counts as
   * the receiver failing: breakers open, attempts run out, executions end as dead letters. The
   * {@code tls} scenario's two clusters hold up to 2 x 3 nodes x {@code exec.maxRequestsPerHost}
   * (64) = 384 connections. And it closes connections idle for 30 s, while OkHttp keeps them 5
   * minutes: at 10 minutes the client always closes first.
   */
  static final List<String> RECEIVER_JVM =
      List.of(
          "-Xmx256m",
          "-Xmn48m",
          "-XX:+UseSerialGC",
          "-Dsun.net.httpserver.maxIdleConnections=" + IDLE_CONNECTIONS_MAX,
          "-Dsun.net.httpserver.idleInterval=600");

  private final Process process;
  private final int port;
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
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong total = new AtomicLong();

  private Receiver(int arrivalsMax) throws IOException {
    this.arrivalsMax = arrivalsMax;
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(RECEIVER_JVM);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ReceiverMain.class.getName()));
    this.process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8), 1 << 16);
    String first = in.readLine();
    if (first == null || !first.startsWith("PORT ")) {
      process.destroyForcibly();
      throw new IOException("the bench's receiver process did not start (it said: " + first + ")");
    }
    this.port = Integer.parseInt(first.substring("PORT ".length()).trim());
    Thread.ofPlatform().daemon().name("receiver-reader").start(() -> read(in));
  }

  public static Receiver start(int arrivalsMax) throws IOException {
    return new Receiver(arrivalsMax);
  }

  /** The receiver process (for tests). */
  ProcessHandle process() {
    return process.toHandle();
  }

  /** The URL jobs target. */
  public String url() {
    return "http://127.0.0.1:" + port + "/bench";
  }

  /** Takes the receiver process's lines until it ends. */
  private void read(BufferedReader in) {
    try (in) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        take(line);
      }
    } catch (IOException e) {
      // The process ended (close): nothing more arrives.
    }
  }

  /** One line of {@link ReceiverMain}: an arrival, or the count of lines it dropped. */
  private void take(String line) {
    String[] f = line.split("\\t", -1);
    if (f.length == 5 && f[0].equals("A")) {
      record(new Arrival(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]));
    } else if (f.length == 2 && f[0].equals("D")) {
      dropped.set(Long.parseLong(f[1]));
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

  /** Requests received since the start (counted as this JVM reads them from the receiver's). */
  public long total() {
    return total.get() + dropped.get();
  }

  /** Arrivals not kept because the buffer was full (their figures are missing from the report). */
  public long overflow() {
    return overflow.get() + dropped.get();
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
    try {
      process.getOutputStream().close(); // its stdin: it stops by itself
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
