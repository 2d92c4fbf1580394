package io.horae.bench;

import io.horae.client.HoraeClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongToDoubleFunction;

/**
 * A cluster the bench starts itself: N {@code horae server} processes on free loopback ports, each
 * with its own data dir and log under {@code dir}, run with the JDK and classpath of the bench
 * itself. Separate processes, so that heap and RSS are per node and a kill -9 is real. Closing
 * kills every node. A node that exits without the bench stopping it is recorded with the last lines
 * of its log, and every wait of the bench ends on it ({@link #checkAlive}).
 */
public final class LocalCluster implements AutoCloseable {
  /** The main class that runs {@code horae server}. */
  private record Ports(int raft, int api, int admin, int internal) {}

  private final Path dir;
  private final String heap;
  private final boolean jfr;

  /** The cluster's certificates and the admin's credentials (auth is on with or without TLS). */
  private final CertMaker.Files files;

  /**
   * False: the nodes run with tls.enabled=false, and the admin's token stands in for its
   * certificate.
   */
  private final boolean tls;

  private final AdminHttp adminHttp;
  private final Map<String, Ports> ports = new LinkedHashMap<>();

  /** Null, or where node n1 writes its ahead-of-time cache (see {@link #aotFlags}). */
  private final Path aotCacheOutput;

  /** Lines of a node's log shown when it exits on its own. */
  static final int EXIT_LOG_LINES = 30;

  /** Guarded by this. */
  private final Map<String, Process> running = new LinkedHashMap<>();

  /** When the first node process was started: after the certificates and ports were made. */
  private volatile long startedAtMs;

  /**
   * CPU of node processes the bench killed, per node id, read just before the kill; guarded by
   * this.
   */
  private final Map<String, Double> retiredCpuNs = new LinkedHashMap<>();

  /** The JIT compilers' share of {@link #retiredCpuNs}. */
  private final Map<String, Double> retiredJitCpuNs = new LinkedHashMap<>();

  /** Why the first node that exited on its own did; null while none has. */
  private volatile String exited;

  private LocalCluster(
      Path dir,
      int size,
      String heap,
      boolean jfr,
      CertMaker certs,
      boolean tls,
      Path aotCacheOutput)
      throws IOException {
    this.dir = dir;
    this.heap = heap;
    this.jfr = jfr;
    this.aotCacheOutput = aotCacheOutput;
    int[] free = FreePorts.distinct(4 * size);
    for (int i = 0; i < size; i++) {
      ports.put(
          "n" + (i + 1), new Ports(free[4 * i], free[4 * i + 1], free[4 * i + 2], free[4 * i + 3]));
    }
    this.files = certs.make(dir.resolve("certs"), List.copyOf(ports.keySet()));
    this.tls = tls;
    this.adminHttp = new AdminHttp(tls ? files.caTrust() : null, null);
  }

  /**
   * Starts the nodes with the certificates and access file of {@code certs} (made once, in {@code
   * dir/certs}), with TLS or, when {@code tls} is false, in plaintext; auth is on either way. The
   * caller waits for readiness (see {@link Bench}). With {@code aotCacheOutput}, node n1 trains an
   * ahead-of-time cache (see {@link #aotFlags}); null for none.
   */
  public static LocalCluster start(
      Path dir,
      int size,
      String heap,
      boolean jfr,
      CertMaker certs,
      boolean tls,
      Path aotCacheOutput)
      throws IOException {
    Files.createDirectories(dir);
    LocalCluster c = new LocalCluster(dir, size, heap, jfr, certs, tls, aotCacheOutput);
    c.startedAtMs = System.currentTimeMillis();
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

  /** When the bench started the first node process (epoch ms). */
  long startedAtMs() {
    return startedAtMs;
  }

  /** Starts (or restarts) one node on its data dir. */
  public synchronized void start(String id) throws IOException {
    Path config = dir.resolve(id + ".properties");
    Files.writeString(config, config(id));
    String classpath =
        System.getProperty("horae.node.classpath", System.getProperty("java.class.path"));
    List<String> flags = new ArrayList<>(List.of("-Xmx" + heap));
    flags.addAll(nodeJvmOptions());
    flags.addAll(aotFlags(id));
    if (jfr) {
      // A profile of the whole run per node (and per restart), for the bottleneck hunt.
      flags.add(
          "-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
              + dir.resolve(id + "-" + System.currentTimeMillis() + ".jfr"));
    }
    String logback = System.getProperty("horae.node.logback");
    if (logback != null) {
      // The nodes' own logging (INFO to the console, here the node's log file) instead of the CLI's
      // quiet one.
      flags.add("-Dlogback.configurationFile=" + logback);
    }
    List<String> cmd = io.horae.server.NodeCommand.of(flags, classpath, config);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()))
            .start();
    running.put(id, p);
    p.onExit().thenAccept(gone -> exitedOnItsOwn(id, gone));
  }

  /**
   * The ahead-of-time cache flags of node {@code id}: node n1 writes one when {@code
   * aotCacheOutput} is set (the nodes then train it); otherwise every node reads the cache that
   * bin/horae names in {@code horae.node.aotCache}, if any. Not with JFR: a cache made without the
   * JFR module is refused by a JVM that loads it. The JVM checks that the cache fits its JDK and
   * jars, and runs without it otherwise; its messages about that are off.
   */
  List<String> aotFlags(String id) {
    if (aotCacheOutput != null) {
      return id.equals("n1") ? List.of("-XX:AOTCacheOutput=" + aotCacheOutput) : List.of();
    }
    String cache = System.getProperty("horae.node.aotCache");
    if (jfr || cache == null || cache.isBlank() || !Files.isRegularFile(Path.of(cache))) {
      return List.of();
    }
    return List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off");
  }

  /** Whether the nodes start from an ahead-of-time cache (see {@link #aotFlags}). */
  public boolean usesAotCache() {
    return !aotFlags("n1").isEmpty() && aotCacheOutput == null;
  }

  /**
   * The node processes' JVM flags: HORAE_NODE_JVM_OPTS if set (experiments without editing a file),
   * else the lines of config/jvm.options (bin/horae passes its path), else G1 alone.
   */
  static List<String> nodeJvmOptions() {
    String override = System.getenv("HORAE_NODE_JVM_OPTS");
    if (override != null && !override.isBlank()) {
      return List.of(override.trim().split("\\s+"));
    }
    String file = System.getProperty("horae.node.jvmOptionsFile");
    if (file == null) {
      return List.of("-XX:+UseG1GC");
    }
    return io.horae.server.NodeCommand.jvmOptions(Path.of(file));
  }

  /**
   * Records a node that exited while still registered as running, that is not by the bench's hand.
   */
  private synchronized void exitedOnItsOwn(String id, Process gone) {
    if (running.get(id) != gone || exited != null) {
      return;
    }
    running.remove(id);
    exited = "node " + id + " exited with code " + gone.exitValue() + "; " + lastLines(id);
  }

  /** "the last lines of <log>:" and the node's last log lines, one per line. */
  private String lastLines(String id) {
    Path log = dir.resolve(id + ".log");
    return "the last lines of "
        + log
        + ":\n  "
        + String.join("\n  ", NodeLog.tail(log, EXIT_LOG_LINES));
  }

  /**
   * Throws with the node's own last log lines if a node has exited without the bench stopping it.
   */
  public void checkAlive() {
    String why = exited;
    if (why != null) {
      throw new NodeFailedException(why);
    }
  }

  /**
   * The nodes that do not answer ready now, each with its last log lines: what a readiness wait
   * that ran out reports, so that the cause is in the error even when the run's directory is gone.
   */
  public String notReadyReport() {
    StringBuilder out = new StringBuilder();
    for (String id : ids()) {
      HttpResponse<String> r = readyResponse(id);
      if (r == null || r.statusCode() != 200) {
        out.append("\n")
            .append(id)
            .append(r == null ? " did not answer /health/ready" : " " + r.body())
            .append("; ")
            .append(lastLines(id));
      }
    }
    return out.toString();
  }

  /**
   * CPU time (user + system) of each node since the bench started it, in ns: the running process's
   * from /proc plus that of the processes the bench killed. NaN where /proc cannot be read (not
   * Linux).
   */
  public synchronized Map<String, Double> cpuNs() {
    return perNode(ProcStat::cpuNs, retiredCpuNs);
  }

  /** CPU time in ns of each node's JIT compiler threads, the same way as {@link #cpuNs}. */
  public synchronized Map<String, Double> jitCpuNs() {
    return perNode(ProcStat::compilerCpuNs, retiredJitCpuNs);
  }

  /** Each node's running process's figure by {@code read} (by pid), plus its killed ones'. */
  private Map<String, Double> perNode(LongToDoubleFunction read, Map<String, Double> retired) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String id : ports.keySet()) {
      Process p = running.get(id);
      double now = p == null ? 0 : read.applyAsDouble(p.pid());
      out.put(id, now + retired.getOrDefault(id, 0.0));
    }
    return out;
  }

  /** Stops every node with SIGTERM (so JFR recordings are written), waiting up to 30 s each. */
  public synchronized void stopAll() throws InterruptedException {
    // Out of the running map first: these exits are the bench's doing, not a node's failure.
    List<Process> all = new ArrayList<>(running.values());
    running.clear();
    for (Process p : all) {
      p.destroy();
    }
    // Writing an ahead-of-time cache at exit takes a JVM of its own and tens of seconds.
    long waitSeconds = aotCacheOutput != null ? 300 : 30;
    for (Process p : all) {
      if (!p.waitFor(waitSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /** kill -9 of one node. */
  public synchronized void kill(String id) throws InterruptedException {
    Process p = running.remove(id);
    if (p != null) {
      // Its CPU so far still counts toward the phase it dies in; /proc forgets it after the kill.
      retiredCpuNs.merge(id, ProcStat.cpuNs(p.pid()), Double::sum);
      retiredJitCpuNs.merge(id, ProcStat.compilerCpuNs(p.pid()), Double::sum);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Whether the node answers 200 on /health/ready. */
  boolean ready(String id) {
    HttpResponse<String> response = readyResponse(id);
    return response != null && response.statusCode() == 200;
  }

  /** The node's answer to GET /health/ready (its body says why when not ready), or null. */
  private HttpResponse<String> readyResponse(String id) {
    return adminHttp.get(
        adminUrls().get(id) + "/health/ready",
        Duration.ofSeconds(1),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Waits until the node is ready again, at most {@code max}; returns whether it is. */
  public boolean awaitReady(String id, Duration max) throws InterruptedException {
    long deadline = System.currentTimeMillis() + max.toMillis();
    while (!ready(id)) {
      checkAlive();
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

  /** Node id to its admin base URL: https while the nodes run with TLS (admin.tls follows it). */
  public Map<String, String> adminUrls() {
    Map<String, String> out = new LinkedHashMap<>();
    ports.forEach((id, p) -> out.put(id, (tls ? "https" : "http") + "://127.0.0.1:" + p.admin()));
    return out;
  }

  /** The client of the admin ports: it trusts the cluster CA. */
  AdminHttp adminHttp() {
    return adminHttp;
  }

  /**
   * A client builder for every node, as the admin: the CA and the admin certificate, or in
   * plaintext the admin's bearer token.
   */
  public HoraeClient.Builder clientBuilder() {
    HoraeClient.Builder b = HoraeClient.builder().endpoints(endpoints());
    if (!tls) {
      try {
        return b.usePlaintext().bearerToken(Files.readString(files.adminToken()).trim());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(
            "cannot read the admin token " + files.adminToken(), e);
      }
    }
    return b.trustCertificates(files.ca()).clientCertificate(files.adminCert(), files.adminKey());
  }

  /** The JVM heap limit each node runs with. */
  public String heap() {
    return heap;
  }

  private String config(String id) {
    StringBuilder b = new StringBuilder();
    b.append("node.id=").append(id).append('\n');
    b.append("node.dataDir=").append(dir.resolve(id + "-data")).append('\n');
    // The receiver listens on 127.0.0.1, which the webhook target guard refuses unless allowed.
    b.append("webhook.targetAllow=127.0.0.1/32\n");
    ports.forEach(
        (peer, p) ->
            b.append(
                io.horae.server.config.PeerConfig.loopback(
                        peer, p.raft(), p.api(), p.admin(), p.internal())
                    .lines()));
    if (tls) {
      b.append("tls.caFile=").append(files.ca()).append('\n');
      b.append("tls.certFile=").append(files.certs().get(id)).append('\n');
      b.append("tls.keyFile=").append(files.keys().get(id)).append('\n');
    } else {
      b.append("tls.enabled=false\n");
    }
    b.append("auth.accessFile=").append(files.accessFile()).append('\n');
    // The bench measures capacity, not quotas (their own tests do): a full run creates about two
    // million jobs in the default namespace, past quota.jobsMax's default of one million, and the
    // batched creates go past quota.createsPerSecond's 20,000 a node.
    b.append("quota.jobsMax=1000000000\n");
    b.append("quota.pendingMax=1000000000\n");
    b.append("quota.createsPerSecond=1000000\n");
    nodeConfigOverrides().forEach(line -> b.append(line).append('\n'));
    return b.toString();
  }

  /**
   * Node config lines ({@code key=value}) from HORAE_NODE_CONFIG, separated by spaces, added to
   * every node's config for an experiment (e.g. {@code exec.resultLinger=0s}); later lines win. The
   * report names them; the node refuses an unknown key or a bad value with its own message.
   */
  static List<String> nodeConfigOverrides() {
    String override = System.getenv("HORAE_NODE_CONFIG");
    if (override == null || override.isBlank()) {
      return List.of();
    }
    return List.of(override.trim().split("\\s+"));
  }

  /** The lines of {@link #nodeConfigOverrides} in one line, for the report; empty when none. */
  static String nodeConfigOverridesText() {
    return String.join(" ", nodeConfigOverrides());
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
