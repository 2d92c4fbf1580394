package io.horae.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster the bench starts itself: N {@code horae server} processes on free loopback ports,
 * each with its own data dir and log under {@code dir}, run with the JDK and classpath of the
 * bench itself. Separate processes, so that heap and RSS are per node and a kill -9 is real.
 * Closing kills every node.
 */
public final class LocalCluster implements AutoCloseable {
  /** The main class that runs {@code horae server}. */
  static final String MAIN = "io.horae.cli.HoraeCommand";

  private record Ports(int raft, int api, int admin) {}

  /** One client for every admin HTTP request of the bench (readiness, metrics). */
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Path dir;
  private final String heap;
  private final boolean jfr;
  private final Map<String, Ports> ports = new LinkedHashMap<>();
  private final Map<String, Process> running = new LinkedHashMap<>();

  private LocalCluster(Path dir, int size, String heap, boolean jfr) throws IOException {
    this.dir = dir;
    this.heap = heap;
    this.jfr = jfr;
    for (int i = 1; i <= size; i++) {
      ports.put("n" + i, new Ports(freePort(), freePort(), freePort()));
    }
  }

  /** Starts the nodes; the caller waits for readiness (see {@link Bench}). */
  public static LocalCluster start(Path dir, int size, String heap, boolean jfr) throws IOException {
    Files.createDirectories(dir);
    LocalCluster c = new LocalCluster(dir, size, heap, jfr);
    try {
      for (String id : c.ports.keySet()) {
        c.start(id);
      }
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Starts (or restarts) one node on its data dir. */
  public synchronized void start(String id) throws IOException {
    Path config = dir.resolve(id + ".properties");
    Files.writeString(config, config(id));
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("horae.node.classpath", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-XX:+UseG1GC", "-Xmx" + heap));
    if (jfr) {
      // A profile of the whole run per node (and per restart), for the bottleneck hunt.
      cmd.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=" + dir.resolve(id + "-" + System.currentTimeMillis() + ".jfr"));
    }
    String logback = System.getProperty("horae.node.logback");
    if (logback != null) {
      // The nodes' own logging (INFO to the console, here the node's log file) instead of the CLI's quiet one.
      cmd.add("-Dlogback.configurationFile=" + logback);
    }
    cmd.addAll(List.of("-cp", classpath, MAIN, "server", "--config", config.toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()))
            .start();
    running.put(id, p);
  }

  /** Stops every node with SIGTERM (so JFR recordings are written), waiting up to 30 s each. */
  public synchronized void stopAll() throws InterruptedException {
    for (Process p : running.values()) {
      p.destroy();
    }
    for (Process p : running.values()) {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    running.clear();
  }

  /** kill -9 of one node. */
  public synchronized void kill(String id) throws InterruptedException {
    Process p = running.remove(id);
    if (p != null) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Whether the node at this admin base URL answers 200 on /health/ready. */
  static boolean ready(String adminUrl) {
    try {
      HttpRequest r = HttpRequest.newBuilder(URI.create(adminUrl + "/health/ready")).timeout(Duration.ofSeconds(1)).build();
      return HTTP.send(r, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits until the node is ready again, at most {@code max}; returns whether it is. */
  public boolean awaitReady(String id, Duration max) throws InterruptedException {
    String url = adminUrls().get(id);
    long deadline = System.currentTimeMillis() + max.toMillis();
    while (!ready(url)) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }

  public List<String> ids() {
    return List.copyOf(ports.keySet());
  }

  public String endpoints() {
    return String.join(",", ports.values().stream().map(p -> "127.0.0.1:" + p.api()).toList());
  }

  /** Node id to its admin HTTP base URL. */
  public Map<String, String> adminUrls() {
    Map<String, String> out = new LinkedHashMap<>();
    ports.forEach((id, p) -> out.put(id, "http://127.0.0.1:" + p.admin()));
    return out;
  }

  /** The JVM heap limit each node runs with. */
  public String heap() {
    return heap;
  }

  private String config(String id) {
    StringBuilder b = new StringBuilder();
    b.append("node.id=").append(id).append('\n');
    b.append("node.dataDir=").append(dir.resolve(id + "-data")).append('\n');
    ports.forEach(
        (peer, p) -> {
          b.append("peers.").append(peer).append(".raft=127.0.0.1:").append(p.raft()).append('\n');
          b.append("peers.").append(peer).append(".api=127.0.0.1:").append(p.api()).append('\n');
          b.append("peers.").append(peer).append(".admin=127.0.0.1:").append(p.admin()).append('\n');
        });
    return b.toString();
  }

  @Override
  public synchronized void close() {
    List<Process> all = new ArrayList<>(running.values());
    running.clear();
    all.forEach(Process::destroyForcibly);
    for (Process p : all) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
