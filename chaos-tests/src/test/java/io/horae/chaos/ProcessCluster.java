package io.horae.chaos;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.horae.api.v1.ClusterStatus;
import io.horae.chaos.net.ChaosNet;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.LoopbackPorts;
import io.horae.server.tls.CaTrust;
import io.horae.server.tls.ClusterCerts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Real `horae server` processes on loopback ports, started from the built artifacts with the JDK
 * that runs the tests. Each node logs to its own file in the cluster directory. Closing kills every
 * node that is still running.
 */
final class ProcessCluster implements AutoCloseable {
  private record Ports(int raft, int api, int admin, int internal) {}

  /** How long an orderly stop may take before the process is killed. */
  static final long STOP_WAIT_SECONDS = 20;

  private final Path dir;
  private final Map<String, Ports> ports = new LinkedHashMap<>();
  private final Map<String, Process> running = new LinkedHashMap<>();

  /** Nodes started in join mode: they wait to be added (a wiped node rejoining). */
  private final java.util.Set<String> joining = new java.util.HashSet<>();

  private final String classpath;

  /** The cluster CA and one certificate per node, made once when the cluster is created. */
  private final ClusterCerts certs;

  /** The proxies between nodes, when the cluster can be partitioned; else null. */
  private final ChaosNet net;

  /**
   * For the admin ports, which serve HTTPS (admin.tls follows tls.enabled): trusts the cluster CA.
   */
  private final HttpClient adminHttp;

  private ProcessCluster(Path dir, int size, boolean partitionable) throws IOException {
    this.dir = dir;
    this.classpath = Files.readString(Path.of(System.getProperty("horae.classpath.file"))).trim();
    int[] free = LoopbackPorts.distinct(4 * size);
    for (int i = 0; i < size; i++) {
      ports.put(
          "n" + (i + 1), new Ports(free[4 * i], free[4 * i + 1], free[4 * i + 2], free[4 * i + 3]));
    }
    this.certs = ClusterCerts.loopback(dir.resolve("certs"), ports.keySet());
    this.adminHttp =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .sslContext(CaTrust.clientContext(certs.caCert()))
            .build();
    Map<String, Map<ChaosNet.Role, Integer>> listen = new LinkedHashMap<>();
    ports.forEach(
        (id, p) ->
            listen.put(
                id, Map.of(ChaosNet.Role.RAFT, p.raft(), ChaosNet.Role.INTERNAL, p.internal())));
    java.util.Set<Integer> reserved =
        java.util.Arrays.stream(free).boxed().collect(java.util.stream.Collectors.toSet());
    this.net = partitionable ? new ChaosNet(listen, reserved) : null;
  }

  /** Starts every node and waits until each is ready and holds a lease. */
  static ProcessCluster start(Path dir, int size) throws IOException {
    return start(dir, size, false);
  }

  /**
   * Starts every node and waits until each is ready and holds a lease; with {@code partitionable}
   * the nodes reach each other through a {@link ChaosNet} that can cut links.
   */
  static ProcessCluster start(Path dir, int size, boolean partitionable) throws IOException {
    ProcessCluster c = new ProcessCluster(dir, size, partitionable);
    try {
      for (String id : c.ports.keySet()) {
        c.startNode(id);
      }
      c.awaitLeases();
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  void startNode(String id) throws IOException {
    Path config = dir.resolve(id + ".properties");
    Files.writeString(config, config(id), StandardCharsets.UTF_8);
    // The node flags that ship (G1, metaspace sized for the server's classes). With the serial
    // collector and the default metaspace threshold, a node had a full collection of 0.9-1.1 s
    // about 10 s after start on a loaded machine: longer than its lease, so its shards moved and
    // results it had not yet recorded were sent again.
    List<String> flags =
        new java.util.ArrayList<>(
            io.horae.server.NodeCommand.jvmOptions(
                Path.of(System.getProperty("horae.jvmOptions"))));
    flags.add("-Xmx384m");
    flags.add("-Dlogback.configurationFile=" + System.getProperty("horae.logback"));
    List<String> cmd = io.horae.server.NodeCommand.of(flags, classpath, config);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(id + ".log").toFile()))
            .start();
    running.put(id, p);
  }

  /** kill -9: the process gets no chance to finish anything. */
  void kill(String id) throws InterruptedException {
    Process p = running.remove(id);
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the node shuts down in order; waits until the process has exited. */
  void stop(String id) throws InterruptedException {
    Process p = running.remove(id);
    p.destroy();
    if (!p.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** SIGSTOP: the process freezes, its sockets stay open, and it resumes on {@link #resume}. */
  void pause(String id) throws IOException, InterruptedException {
    signal(id, "STOP");
  }

  /** SIGCONT. */
  void resume(String id) throws IOException, InterruptedException {
    signal(id, "CONT");
  }

  private void signal(String id, String signal) throws IOException, InterruptedException {
    long pid = running.get(id).pid();
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IOException("kill -" + signal + " " + pid + " failed");
    }
  }

  List<String> ids() {
    return List.copyOf(ports.keySet());
  }

  String endpoints() {
    return String.join(",", ports.values().stream().map(p -> "127.0.0.1:" + p.api()).toList());
  }

  HoraeClient client() {
    return clientBuilder().endpoints(endpoints()).build();
  }

  /**
   * A client builder as the cluster's admin: TLS and auth are on, as in production, so it trusts
   * the cluster CA and presents the admin certificate, which the access file grants everything.
   */
  HoraeClient.Builder clientBuilder() {
    return HoraeClient.builder()
        .trustCertificates(certs.caCert())
        .clientCertificate(certs.cert(ClusterCerts.ADMIN), certs.key(ClusterCerts.ADMIN));
  }

  /**
   * A gRPC channel to one node's API as the admin (as {@link #clientBuilder}); the caller shuts it
   * down.
   */
  ManagedChannel adminChannel(String id) {
    try {
      SslContext ssl =
          GrpcSslContexts.forClient()
              .trustManager(certs.caCert().toFile())
              .keyManager(
                  certs.cert(ClusterCerts.ADMIN).toFile(), certs.key(ClusterCerts.ADMIN).toFile())
              .build();
      return NettyChannelBuilder.forTarget(apiAddress(id)).sslContext(ssl).build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot use the certificates in " + certs.dir(), e);
    }
  }

  /** host:port of the node's internal node-to-node port (not a proxy). */
  String internalAddress(String id) {
    return "127.0.0.1:" + ports.get(id).internal();
  }

  /** host:port of the node's gRPC API. */
  String apiAddress(String id) {
    return "127.0.0.1:" + ports.get(id).api();
  }

  /** host:port of the node's own Raft server (not a proxy). */
  String raftAddress(String id) {
    return "127.0.0.1:" + ports.get(id).raft();
  }

  /** host:port of the node's admin HTTP. */
  String adminAddress(String id) {
    return "127.0.0.1:" + ports.get(id).admin();
  }

  /**
   * From now on the node starts with {@code node.join=true}: it forms no group and waits for {@code
   * add-node}, as an operator restarts a node that lost its disk.
   */
  void startJoining(String id) {
    joining.add(id);
  }

  /** A client of one node only: its answers are that node's view. Close it after use. */
  HoraeClient client(String id) {
    return clientBuilder().endpoints(apiAddress(id)).build();
  }

  /**
   * The cluster status as {@code client} sees it, once it names a leader: a status taken while a
   * node is slow to answer, or during an election, may name none.
   */
  static ClusterStatus statusWithLeader(HoraeClient client) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(client::clusterStatus, s -> !s.getLeaderId().isEmpty());
  }

  /**
   * Waits until every node answers and has applied what the leader had committed when the wait
   * began: a fault is injected into a healthy cluster. (Under load we have seen Ratis' appender
   * keep one follower behind for tens of seconds, answering INCONSISTENCY; stopping the other
   * follower then leaves no majority. That is a fault of its own, documented in docs/failover.md,
   * not the one these tests inject.)
   */
  ClusterStatus awaitCaughtUp(HoraeClient client) {
    ClusterStatus start = statusWithLeader(client);
    long committed =
        start.getNodesList().stream()
            .filter(n -> n.getId().equals(start.getLeaderId()))
            .findFirst()
            .orElseThrow()
            .getCommitIndex();
    try {
      return await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> statusWithLeader(client),
              s ->
                  s.getNodesList().stream()
                      .allMatch(n -> n.getReachable() && n.getAppliedIndex() >= committed));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      threadDumps();
      throw new AssertionError(notCaughtUp(client, committed), e);
    }
  }

  /**
   * Why the cluster did not catch up, first in the message, since CI keeps only the test output:
   * each node's indexes, the applier thread of each node behind, and the nodes' notable log lines.
   */
  private String notCaughtUp(HoraeClient client, long committed) {
    StringBuilder b =
        new StringBuilder("not every node applied index ")
            .append(committed)
            .append(" within 60 s\n");
    List<String> behind = new java.util.ArrayList<>();
    try {
      for (io.horae.api.v1.NodeStatus n : client.clusterStatus().getNodesList()) {
        b.append(
            String.format(
                "%s %s term=%d commit=%d applied=%d reachable=%b%n",
                n.getId(),
                n.getRole(),
                n.getTerm(),
                n.getCommitIndex(),
                n.getAppliedIndex(),
                n.getReachable()));
        if (n.getAppliedIndex() < committed) {
          behind.add(n.getId());
        }
      }
    } catch (RuntimeException e) {
      b.append("no status: ").append(e).append('\n');
      behind.addAll(running.keySet());
    }
    for (String id : behind) {
      b.append("--- ").append(id).append(" applier thread\n").append(applierStack(id));
    }
    return b.append(NodeLogs.excerpt(dir)).toString();
  }

  /**
   * The first lines of the Raft applier's stack in the node's thread dump, or why there are none.
   */
  private String applierStack(String id) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(id + ".threads.txt"));
      int at = -1;
      for (int i = 0; i < lines.size() && at < 0; i++) {
        if (lines.get(i).contains("StateMachineUpdater")) {
          at = i;
        }
      }
      if (at < 0) {
        return "(no StateMachineUpdater thread)\n";
      }
      return String.join("\n", lines.subList(at, Math.min(lines.size(), at + 10))) + "\n";
    } catch (IOException e) {
      return "(no thread dump: " + e.getMessage() + ")\n";
    }
  }

  /** Writes a thread dump of every running node next to its log, as {@code <id>.threads.txt}. */
  void threadDumps() {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    running.forEach(
        (id, p) -> {
          try {
            Process dump =
                new ProcessBuilder(jcmd.toString(), Long.toString(p.pid()), "Thread.print")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve(id + ".threads.txt").toFile())
                    .start();
            dump.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
          } catch (IOException e) {
            // A missing dump must not hide the failure being diagnosed.
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  /** The node's Prometheus text, or "" when it does not answer. */
  String metrics(String id) {
    try {
      HttpRequest r =
          HttpRequest.newBuilder(
                  URI.create("https://127.0.0.1:" + ports.get(id).admin() + "/metrics"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return adminHttp.send(r, HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Waits until every running node reports a fresh lease in its metrics. */
  void awaitLeases() {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                running.keySet().stream()
                    .allMatch(
                        id -> metrics(id).contains("horae_lease_fresh{node=\"" + id + "\"} 1.0")));
  }

  Path log(String id) {
    return dir.resolve(id + ".log");
  }

  private String config(String id) {
    StringBuilder b = new StringBuilder();
    b.append("node.id=").append(id).append('\n');
    b.append("node.dataDir=").append(dir.resolve(id + "-data")).append('\n');
    // The receiver listens on 127.0.0.1, which the webhook target guard refuses unless allowed.
    b.append("webhook.targetAllow=127.0.0.1/32\n");
    // The disk faults write <dataDir>/fault-usable-bytes and fault-apply-delay-ms
    // (Nemesis.Fault.DISK_FULL, SLOW_DISK).
    b.append("storage.faultHooks=true\n");
    if (joining.contains(id)) {
      b.append("node.join=true\n");
    }
    b.append("tls.caFile=").append(certs.caCert()).append('\n');
    b.append("tls.certFile=").append(certs.cert(id)).append('\n');
    b.append("tls.keyFile=").append(certs.key(id)).append('\n');
    b.append("auth.accessFile=").append(certs.accessFile()).append('\n');
    ports.forEach(
        (peer, p) -> {
          // Through this node's own link to the peer when the network is simulated.
          boolean proxied = net != null && !peer.equals(id);
          int raft = proxied ? net.port(id, peer, ChaosNet.Role.RAFT) : p.raft();
          int internal = proxied ? net.port(id, peer, ChaosNet.Role.INTERNAL) : p.internal();
          b.append(
              io.horae.server.config.PeerConfig.loopback(peer, raft, p.api(), p.admin(), internal)
                  .lines());
        });
    return b.toString();
  }

  /** The network between the nodes; only for a cluster started partitionable. */
  ChaosNet net() {
    if (net == null) {
      throw new IllegalStateException("this cluster was not started partitionable");
    }
    return net;
  }

  /** Whether the node's process runs (it may be paused). */
  boolean isRunning(String id) {
    return running.containsKey(id);
  }

  /** Deletes a stopped node's data directory: it comes back empty and catches up by snapshot. */
  /**
   * The server's fault-hook file (DiskGuard.FAULT_FILE): the usable bytes to report while it
   * exists.
   */
  static final String DISK_FAULT_FILE = "fault-usable-bytes";

  /**
   * Makes the node's data dir report 0 usable bytes, through the fault hook every chaos node has on
   * (storage.faultHooks): it works on any machine, where mounting a small file system may not.
   */
  void diskFull(String id) throws IOException {
    Path data = dir.resolve(id + "-data");
    Files.createDirectories(data);
    Files.writeString(data.resolve(DISK_FAULT_FILE), "0");
  }

  /** Gives the node's data dir its real free space back. */
  void diskFree(String id) throws IOException {
    Files.deleteIfExists(dir.resolve(id + "-data").resolve(DISK_FAULT_FILE));
  }

  /**
   * The server's slow-disk hook file (SlowDiskHook.FAULT_FILE): ms to wait before each applied
   * entry.
   */
  static final String SLOW_DISK_FILE = "fault-apply-delay-ms";

  void diskSlow(String id, long delayMs) throws IOException {
    Path data = dir.resolve(id + "-data");
    Files.createDirectories(data);
    Files.writeString(data.resolve(SLOW_DISK_FILE), Long.toString(delayMs));
  }

  void diskFast(String id) throws IOException {
    Files.deleteIfExists(dir.resolve(id + "-data").resolve(SLOW_DISK_FILE));
  }

  void wipe(String id) throws IOException {
    if (running.containsKey(id)) {
      throw new IllegalStateException(id + " is running");
    }
    Path data = dir.resolve(id + "-data");
    if (Files.exists(data)) {
      try (var files = Files.walk(data)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Override
  public void close() {
    if (net != null) {
      net.close();
    }
    adminHttp.close();
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
