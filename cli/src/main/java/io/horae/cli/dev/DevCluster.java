package io.horae.cli.dev;

import io.horae.server.config.ConfigException;
import io.horae.server.config.ConfigLoader;
import io.horae.server.config.HoraeConfig;
import io.horae.server.node.HoraeNode;
import io.horae.server.secret.ClusterKey;
import io.horae.server.tls.ClusterCerts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

/**
 * N nodes in one JVM on the fixed local ports of DESIGN §12 (API 7070+, Raft 7170+, admin 7270+)
 * and internal ports 7370+, for trying Horae on one machine. Each node has its own Ratis server,
 * RocksDB and executor, as in a real cluster; only the process is shared. TLS is on, with a CA and
 * certificates made in {@code <data>/certs} on first start.
 */
public final class DevCluster implements AutoCloseable {
  public static final int API_PORT_BASE = 7070;
  public static final int RAFT_PORT_BASE = 7170;
  public static final int ADMIN_PORT_BASE = 7270;
  public static final int INTERNAL_PORT_BASE = 7370;

  /** The CA, node and admin certificates, under the data directory (kept with --data). */
  public static final String CERTS_DIR = "certs";

  public static final String HOST = "127.0.0.1";

  /** The only private address the dev nodes deliver to: where the dev receiver listens. */
  public static final String RECEIVER_ALLOW = "127.0.0.1/32";

  private final List<HoraeNode> nodes = new ArrayList<>();
  private ClusterCerts certs;

  private DevCluster() {}

  /** The dev cluster's key file, made on first start and kept with the data (DESIGN §12). */
  public static final String KEY_FILE = "cluster.key";

  public static DevCluster start(int size, Path dataDir) throws IOException, ConfigException {
    DevCluster cluster = new DevCluster();
    try {
      Path keyFile = ensureKeyFile(dataDir);
      List<String> ids = IntStream.rangeClosed(1, size).mapToObj(i -> "n" + i).toList();
      cluster.certs = ClusterCerts.loopback(dataDir.resolve(CERTS_DIR), ids);
      for (int i = 1; i <= size; i++) {
        cluster.nodes.add(
            HoraeNode.start(config(i, size, dataDir, keyFile, cluster.certs), Clock.systemUTC()));
      }
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /**
   * Makes {@code dataDir/cluster.key} unless it exists (a reused --data dir keeps its key, so the
   * secrets already stored there still open), readable by the owner only where the file system
   * allows.
   */
  static Path ensureKeyFile(Path dataDir) throws IOException {
    Path file = dataDir.resolve(KEY_FILE);
    if (Files.exists(file)) {
      return file;
    }
    Files.createDirectories(dataDir);
    Files.createFile(file);
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
    Files.writeString(file, ClusterKey.generate(new SecureRandom()));
    return file;
  }

  static HoraeConfig config(int self, int size, Path dataDir, Path keyFile, ClusterCerts certs)
      throws ConfigException {
    Properties p = new Properties();
    p.setProperty("secrets.keyFile", keyFile.toString());
    // The dev receiver listens on 127.0.0.1; the target guard lets nothing else private through.
    p.setProperty("webhook.targetAllow", RECEIVER_ALLOW);
    p.setProperty("tls.caFile", certs.caCert().toString());
    p.setProperty("tls.certFile", certs.cert("n" + self).toString());
    p.setProperty("tls.keyFile", certs.key("n" + self).toString());
    // Auth is on by default: the dev context presents the admin certificate, which the token file
    // names.
    p.setProperty("auth.accessFile", certs.accessFile().toString());
    p.setProperty("node.id", "n" + self);
    p.setProperty("node.dataDir", dataDir.resolve("n" + self).toString());
    for (int i = 1; i <= size; i++) {
      p.putAll(
          io.horae.server.config.PeerConfig.loopback(
                  "n" + i,
                  RAFT_PORT_BASE + i - 1,
                  API_PORT_BASE + i - 1,
                  ADMIN_PORT_BASE + i - 1,
                  INTERNAL_PORT_BASE + i - 1)
              .keys());
    }
    return ConfigLoader.fromProperties(p);
  }

  /**
   * The cluster's certificates: the CLI context trusts its CA and presents its admin certificate.
   */
  public ClusterCerts certs() {
    return certs;
  }

  public List<HoraeNode> nodes() {
    return List.copyOf(nodes);
  }

  public boolean ready() {
    return !nodes.isEmpty() && nodes.stream().allMatch(HoraeNode::ready);
  }

  public String endpoints() {
    return String.join(",", nodes.stream().map(n -> n.config().self().api().toString()).toList());
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    nodes.clear();
  }
}
