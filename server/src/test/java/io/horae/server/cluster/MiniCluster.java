package io.horae.server.cluster;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.horae.server.config.ConfigLoader;
import io.horae.server.config.HoraeConfig;
import io.horae.server.node.HoraeNode;
import io.horae.server.tls.CaTrust;
import io.horae.server.tls.ClusterCerts;
import io.horae.statemachine.storage.StoreFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * N real Horae nodes in one JVM: real Ratis servers on loopback ports, real RocksDB in a temp dir,
 * the real gRPC API. Nodes can be stopped, wiped and restarted, and extra nodes can be started in
 * join mode for membership tests ({@link #startJoiningNode}).
 *
 * <p>Webhooks go to test receivers on 127.0.0.1, so the nodes' target guard allows exactly that
 * address ({@link #TARGET_ALLOW}; an override may replace it). Target names resolve through the
 * test's own resolver, never the machine's DNS: by default no name resolves at all.
 *
 * <p>TLS and auth are on, as by default: the access file is the one {@code horae certs init} writes
 * next to the certificates, and {@link #channel} presents the admin certificate (or, with {@code
 * tls.enabled=false}, the admin's bearer token), which may do everything.
 */
public final class MiniCluster implements AutoCloseable {
  private record Ports(int raft, int api, int admin, int internal) {}

  /** The receivers' address, the only one the nodes deliver to unless a test overrides it. */
  public static final String TARGET_ALLOW = "127.0.0.1/32";

  /** Resolves no name: a test that wants names maps them to loopback addresses itself. */
  public static final okhttp3.Dns NO_NAMES =
      host -> {
        throw new java.net.UnknownHostException(host + ": this test maps no names");
      };

  private final Path root;
  private final Map<String, String> overrides;
  private final okhttp3.Dns resolver;
  private final Map<String, Ports> ports = new LinkedHashMap<>();
  private final Map<String, HoraeNode> running = new LinkedHashMap<>();

  /** Settings of one node only, over the cluster-wide overrides (see {@link #override}). */
  private final Map<String, Map<String, String>> nodeOverrides = new LinkedHashMap<>();

  /** Ids started in join mode; their configs carry node.join=true. */
  private final java.util.Set<String> joining = new java.util.HashSet<>();

  private final List<ManagedChannel> channels = new ArrayList<>();
  private final ClusterCerts certs;

  private MiniCluster(Path root, int size, Map<String, String> overrides, okhttp3.Dns resolver) {
    this.root = root;
    this.overrides = overrides;
    this.resolver = resolver;
    int[] free = LoopbackPorts.distinct(4 * size);
    for (int i = 0; i < size; i++) {
      ports.put(
          "n" + (i + 1), new Ports(free[4 * i], free[4 * i + 1], free[4 * i + 2], free[4 * i + 3]));
    }
    this.certs = new ClusterCerts(root.resolve("certs"));
  }

  /** Certificates for every node id known so far; a rerun adds only the missing ones (cheap). */
  private void issueCerts() throws IOException {
    ClusterCerts.loopback(certs.dir(), ports.keySet());
  }

  /**
   * The CA certificates clients of a cluster with TLS on trust: the nodes' tls.caFile (the
   * certificate directory's, or an override's, such as a bundle of two CAs).
   */
  public Path caFile() {
    return overrides.containsKey("tls.caFile")
        ? Path.of(overrides.get("tls.caFile"))
        : certs.caCert();
  }

  /**
   * The directory of the CA, node and admin certificates ({@code admin.pem}, {@code
   * admin-key.pem}).
   */
  public ClusterCerts certs() {
    return certs;
  }

  /** Whether the nodes serve TLS (the default; an override of tls.enabled=false turns it off). */
  public boolean tls() {
    return !"false".equals(overrides.get("tls.enabled"));
  }

  /** Starts every node and waits until a leader exists and the shard map is set. */
  public static MiniCluster start(Path root, int size, Map<String, String> overrides)
      throws IOException {
    return start(root, size, overrides, NO_NAMES);
  }

  /** As {@link #start(Path, int, Map)}, with webhook target names resolved by {@code resolver}. */
  public static MiniCluster start(
      Path root, int size, Map<String, String> overrides, okhttp3.Dns resolver) throws IOException {
    MiniCluster c = new MiniCluster(root, size, overrides, resolver);
    c.issueCerts();
    for (String id : c.ports.keySet()) {
      c.startNode(id);
    }
    c.awaitReady();
    return c;
  }

  public HoraeConfig config(String id) {
    Properties p = new Properties();
    p.setProperty("node.id", id);
    p.setProperty("node.dataDir", root.resolve(id).toString());
    ports.forEach(
        (peer, ports) -> {
          p.putAll(
              io.horae.server.config.PeerConfig.loopback(
                      peer, ports.raft(), ports.api(), ports.admin(), ports.internal())
                  .keys());
        });
    p.setProperty("webhook.targetAllow", TARGET_ALLOW);
    p.setProperty("tls.caFile", certs.caCert().toString());
    p.setProperty("tls.certFile", certs.cert(id).toString());
    p.setProperty("tls.keyFile", certs.key(id).toString());
    p.setProperty("auth.accessFile", certs.accessFile().toString());
    overrides.forEach(p::setProperty);
    nodeOverrides.getOrDefault(id, Map.of()).forEach(p::setProperty);
    if (joining.contains(id)) {
      p.setProperty("node.join", "true");
    }
    try {
      return ConfigLoader.fromProperties(p);
    } catch (io.horae.server.config.ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Sets {@code key} for node {@code id} from its next start on; a null value removes it. */
  public void override(String id, String key, String value) {
    Map<String, String> own = nodeOverrides.computeIfAbsent(id, k -> new LinkedHashMap<>());
    if (value == null) {
      own.remove(key);
    } else {
      own.put(key, value);
    }
  }

  public HoraeNode startNode(String id) throws IOException {
    HoraeNode node = HoraeNode.start(config(id), Clock.systemUTC(), resolver);
    running.put(id, node);
    return node;
  }

  /**
   * Starts a new node {@code id} in join mode on fresh ports: it knows the members' addresses but
   * forms no group; it joins when a member adds it (ClusterService.AddNode with {@link
   * #raftAddress} and {@link #endpoint}). Later restarts of the other nodes list it among their
   * peers, as an operator would after adding it.
   */
  public HoraeNode startJoiningNode(String id) throws IOException {
    if (ports.containsKey(id)) {
      throw new IllegalStateException(id + " is already part of this cluster");
    }
    int[] free = LoopbackPorts.distinct(4);
    ports.put(id, new Ports(free[0], free[1], free[2], free[3]));
    joining.add(id);
    issueCerts();
    return startNode(id);
  }

  public String raftAddress(String id) {
    return "127.0.0.1:" + ports.get(id).raft();
  }

  public String internalAddress(String id) {
    return "127.0.0.1:" + ports.get(id).internal();
  }

  public String adminAddress(String id) {
    return "127.0.0.1:" + ports.get(id).admin();
  }

  public void stopNode(String id) {
    HoraeNode node = running.remove(id);
    if (node != null) {
      node.close();
    }
  }

  /** Deletes a stopped node's whole data directory: Raft log, snapshots and RocksDB. */
  public void wipe(String id) {
    if (running.containsKey(id)) {
      throw new IllegalStateException("stop " + id + " before wiping it");
    }
    try {
      StoreFiles.deleteTree(root.resolve(id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public HoraeNode node(String id) {
    return running.get(id);
  }

  public List<HoraeNode> nodes() {
    return List.copyOf(running.values());
  }

  public List<String> ids() {
    return List.copyOf(ports.keySet());
  }

  public HoraeNode leader() {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> running.values().stream().filter(HoraeNode::isLeader).findFirst().orElse(null),
            n -> n != null);
  }

  public HoraeNode follower() {
    HoraeNode leader = leader();
    return running.values().stream().filter(n -> n != leader).findFirst().orElseThrow();
  }

  public void awaitReady() {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                running.values().stream()
                    .allMatch(n -> n.ready() && n.executor() != null && hasShardMap(n)));
    awaitLeases();
  }

  /** Waits until every running node holds a fresh lease from the leader. */
  public void awaitLeases() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> running.values().stream().allMatch(HoraeNode::leaseFresh));
  }

  /**
   * Waits until every running node knows that every voter applies {@code version}, so that it
   * proposes the ops and fields of that version (ApplyVersionGate).
   */
  public void awaitAllApply(int version) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> running.values().stream().allMatch(n -> n.knowsAllApply(version)));
  }

  private static boolean hasShardMap(HoraeNode n) {
    return n.store()
            .get(
                io.horae.statemachine.core.Family.META,
                io.horae.statemachine.core.Keys.META_SHARD_MAP)
        != null;
  }

  public String endpoint(String id) {
    return "127.0.0.1:" + ports.get(id).api();
  }

  public String endpoints() {
    return String.join(",", ports.keySet().stream().map(this::endpoint).toList());
  }

  public int adminPort(String id) {
    return ports.get(id).admin();
  }

  /** Whether the admin ports serve HTTPS: as TLS, unless an override says admin.tls=false. */
  public boolean adminTls() {
    return tls() && !"false".equals(overrides.get("admin.tls"));
  }

  /**
   * The base URL of one node's admin port, {@code https://127.0.0.1:<port>} while {@link
   * #adminTls}.
   */
  public String adminUrl(String id) {
    return (adminTls() ? "https" : "http") + "://127.0.0.1:" + adminPort(id);
  }

  /** An HTTP client for the admin ports that trusts the cluster CA (the caller closes it). */
  public HttpClient adminHttp() {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    if (adminTls()) {
      try {
        b.sslContext(CaTrust.clientContext(caFile()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return b.build();
  }

  /**
   * A channel to one node's API as the admin, closed with the cluster: TLS trusting the cluster CA
   * and presenting the admin certificate, or, when the cluster is plaintext, the admin's bearer
   * token on every call.
   */
  public ManagedChannel channel(String id) {
    return channel(id, b -> b);
  }

  /** As {@link #channel(String)}, with {@code tune} applied to the builder first (limits, say). */
  public ManagedChannel channel(
      String id, java.util.function.UnaryOperator<NettyChannelBuilder> tune) {
    NettyChannelBuilder b = tune.apply(NettyChannelBuilder.forTarget(endpoint(id)));
    ManagedChannel ch;
    try {
      if (tls()) {
        ch =
            b.sslContext(
                    GrpcSslContexts.forClient()
                        .trustManager(caFile().toFile())
                        .keyManager(
                            certs.cert(ClusterCerts.ADMIN).toFile(),
                            certs.key(ClusterCerts.ADMIN).toFile())
                        .build())
                .build();
      } else {
        Metadata headers = new Metadata();
        headers.put(
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
            "Bearer " + adminToken());
        ch = b.usePlaintext().intercept(MetadataUtils.newAttachHeadersInterceptor(headers)).build();
      }
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException("cannot use the certificates in " + certs.dir(), e);
    }
    channels.add(ch);
    return ch;
  }

  /** The admin's bearer token ({@code admin.token} of the certificate directory): every grant. */
  public String adminToken() {
    try {
      return Files.readString(certs.adminToken()).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the admin token " + certs.adminToken(), e);
    }
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    new ArrayList<>(running.keySet()).forEach(this::stopNode);
  }
}
