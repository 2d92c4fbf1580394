package io.horae.server.tls;

import io.horae.server.config.PeerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A certificate directory as {@code horae certs init} makes it (docs/security.md): the cluster CA
 * ({@code ca.pem}, {@code ca-key.pem}), one certificate and key per node ({@code <id>.pem}, {@code
 * <id>-key.pem}) and the admin client's ({@code admin.pem}, {@code admin-key.pem}), every file
 * 0600. Running it again reuses the CA and writes only what is missing (a new node), or everything
 * but the CA with {@code force} (rotation of the leaf certificates). {@link #rotateCa} and {@link
 * #dropOldCas} rotate the CA itself, through a bundle in {@code ca.pem}.
 */
public final class ClusterCerts {
  public static final Duration CA_VALIDITY_DEFAULT = Duration.ofDays(3650);
  public static final Duration LEAF_VALIDITY_DEFAULT = Duration.ofDays(825);
  public static final String CA_CERT = "ca.pem";
  public static final String CA_KEY = "ca-key.pem";
  public static final String ADMIN = "admin";

  /** The token file (auth.accessFile) in the directory. */
  public static final String TOKENS = "tokens";

  /** Every node certificate also names these, so that clients on the node's own host verify it. */
  static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1");

  private final Path dir;

  public ClusterCerts(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path caCert() {
    return dir.resolve(CA_CERT);
  }

  public Path caKey() {
    return dir.resolve(CA_KEY);
  }

  /** The certificate of a node or client {@code name}. */
  public Path cert(String name) {
    return dir.resolve(name + ".pem");
  }

  /** The private key of a node or client {@code name}. */
  public Path key(String name) {
    return dir.resolve(name + "-key.pem");
  }

  /**
   * Certificates for nodes that all run on this machine (tests, {@code horae dev}, the bench and
   * chaos launchers): made in {@code dir} unless there, each naming 127.0.0.1 and localhost.
   */
  public static ClusterCerts loopback(Path dir, Collection<String> nodeIds) throws IOException {
    ClusterCerts certs = new ClusterCerts(dir);
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    nodeIds.forEach(id -> hosts.put(id, LOOPBACK_HOSTS));
    certs.init(
        new CertIssuer(new SecureRandom(), Clock.systemUTC()), hosts, false, LEAF_VALIDITY_DEFAULT);
    return certs;
  }

  /** The hosts a node certificate names for one peer: every address host of it, then loopback. */
  public static List<String> hosts(PeerConfig peer) {
    Set<String> hosts = new LinkedHashSet<>();
    hosts.add(peer.api().host());
    hosts.add(peer.raft().host());
    hosts.add(peer.internal().host());
    hosts.add(peer.admin().host());
    hosts.addAll(LOOPBACK_HOSTS);
    return List.copyOf(hosts);
  }

  /**
   * Makes the CA unless it exists, a certificate for each node of {@code nodes} (id to host names)
   * and the admin client unless they exist or {@code force}; returns the files written.
   */
  public List<Path> init(
      CertIssuer issuer, Map<String, List<String>> nodes, boolean force, Duration leafValidity)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    CertIssuer.Issued ca;
    if (Files.exists(caCert()) && Files.exists(caKey())) {
      ca = loadCa();
    } else {
      ca = issuer.ca(dir.toAbsolutePath().getFileName().toString(), CA_VALIDITY_DEFAULT);
      write(CA_CERT, CA_KEY, ca, List.of(), written);
    }
    issueLeaves(issuer, ca, nodes, force, leafValidity, written);
    if (!Files.exists(accessFile())) {
      writeTokens(written);
    }
    return written;
  }

  /**
   * Starts a CA rotation (docs/security.md, "Rotating the CA"): a new CA, whose key replaces {@code
   * ca-key.pem}; {@code ca.pem} becomes the bundle of the new CA, then every CA it held; every node
   * of {@code nodes} and the admin get new certificates of the new CA. The access file and tokens
   * stay. Returns the files written.
   *
   * @throws IOException when the directory holds no CA yet (make one with {@link #init})
   */
  public List<Path> rotateCa(
      CertIssuer issuer, Map<String, List<String>> nodes, Duration leafValidity)
      throws IOException {
    if (!Files.exists(caCert()) || !Files.exists(caKey())) {
      throw new IOException(
          dir
              + " holds no CA to rotate ("
              + CA_CERT
              + ", "
              + CA_KEY
              + "); horae certs init makes one");
    }
    List<X509Certificate> old = Pem.readCertificates(caCert());
    CertIssuer.Issued ca =
        issuer.ca(
            dir.toAbsolutePath().getFileName() + " #" + (old.size() + 1), CA_VALIDITY_DEFAULT);
    List<X509Certificate> bundle = new ArrayList<>(List.of(ca.cert()));
    bundle.addAll(old);
    List<Path> written = new ArrayList<>();
    PrivateFiles.write(caKey(), Pem.privateKey(ca.keys().getPrivate()));
    PrivateFiles.write(caCert(), Pem.certificates(bundle));
    written.add(caCert());
    written.add(caKey());
    issueLeaves(issuer, ca, nodes, true, leafValidity, written);
    return written;
  }

  /**
   * Ends a CA rotation: {@code ca.pem} keeps only its first certificate, the CA of {@code
   * ca-key.pem}. Refused, naming the files, while a certificate in the directory is not of that CA
   * (it would no longer be trusted).
   */
  public List<Path> dropOldCas() throws IOException {
    List<X509Certificate> cas = Pem.readCertificates(caCert());
    X509Certificate current = cas.get(0);
    List<String> stale = new ArrayList<>();
    try (var files = Files.list(dir)) {
      for (Path f : files.sorted().toList()) {
        String name = f.getFileName().toString();
        if (name.endsWith(".pem")
            && !name.endsWith("-key.pem")
            && !name.equals(CA_CERT)
            && !signedBy(Pem.readCertificates(f).get(0), current)) {
          stale.add(name);
        }
      }
    }
    if (!stale.isEmpty()) {
      throw new IOException(
          dir
              + ": "
              + stale
              + " are not of the new CA yet; reissue them (certs init --new-ca, or --force with the node) before dropping the old CA");
    }
    if (cas.size() == 1) {
      return List.of();
    }
    PrivateFiles.write(caCert(), Pem.certificates(List.of(current)));
    return List.of(caCert());
  }

  private static boolean signedBy(X509Certificate leaf, X509Certificate ca) {
    try {
      leaf.verify(ca.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /**
   * A certificate for each node of {@code nodes} and the admin, unless they exist and not {@code
   * force}.
   */
  private void issueLeaves(
      CertIssuer issuer,
      CertIssuer.Issued ca,
      Map<String, List<String>> nodes,
      boolean force,
      Duration leafValidity,
      List<Path> written)
      throws IOException {
    for (Map.Entry<String, List<String>> node : nodes.entrySet()) {
      if (force || !Files.exists(cert(node.getKey()))) {
        CertIssuer.Issued issued =
            issuer.node(ca, node.getKey(), withLoopback(node.getValue()), leafValidity);
        write(
            node.getKey() + ".pem",
            node.getKey() + "-key.pem",
            issued,
            List.of(ca.cert()),
            written);
      }
    }
    if (force || !Files.exists(cert(ADMIN))) {
      write(
          ADMIN + ".pem",
          ADMIN + "-key.pem",
          issuer.client(ca, ADMIN, leafValidity),
          List.of(ca.cert()),
          written);
    }
  }

  /** The access file (auth.accessFile): the admin, by its certificate and by its token. */
  public Path accessFile() {
    return dir.resolve(TOKENS);
  }

  /** The admin's bearer token (0600): for clients without the admin certificate. */
  public Path adminToken() {
    return dir.resolve(ADMIN + ".token");
  }

  /** The admin may do everything: the cluster, and write and manage secrets in every namespace. */
  private void writeTokens(List<Path> written) throws IOException {
    String token = io.horae.server.auth.TokenFile.newToken(new java.security.SecureRandom());
    List<io.horae.server.auth.Grant> all =
        List.of(
            io.horae.server.auth.Grant.parse("cluster-admin"),
            io.horae.server.auth.Grant.parse("writer:*"),
            io.horae.server.auth.Grant.parse("secrets:*"));
    PrivateFiles.write(adminToken(), token + "\n");
    String grants =
        String.join(",", all.stream().map(io.horae.server.auth.Grant::toString).toList());
    PrivateFiles.write(
        accessFile(),
        "# Who may call the API (docs/security.md, \"Tokens and roles\"): <principal> <sha256:<hash of a token> | cert> <grants>\n"
            + "# A node rereads this file when it changes. horae certs token adds a line; delete a line to revoke.\n"
            + ADMIN
            + " cert "
            + grants
            + "\n"
            + io.horae.server.auth.TokenFile.line(ADMIN, token, all)
            + "\n");
    written.add(adminToken());
    written.add(accessFile());
  }

  private CertIssuer.Issued loadCa() throws IOException {
    X509Certificate cert = Pem.readCertificates(caCert()).get(0);
    PrivateKey key = Pem.readPrivateKey(caKey());
    return new CertIssuer.Issued(new KeyPair(cert.getPublicKey(), key), cert);
  }

  private void write(
      String certName,
      String keyName,
      CertIssuer.Issued issued,
      List<X509Certificate> chainRest,
      List<Path> written)
      throws IOException {
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(issued.cert());
    chain.addAll(chainRest);
    // The key first: a certificate file without its key would pass the "exists" check of a rerun.
    PrivateFiles.write(dir.resolve(keyName), Pem.privateKey(issued.keys().getPrivate()));
    PrivateFiles.write(dir.resolve(certName), Pem.certificates(chain));
    written.add(dir.resolve(certName));
    written.add(dir.resolve(keyName));
  }

  private static List<String> withLoopback(List<String> hosts) {
    Set<String> all = new LinkedHashSet<>(hosts);
    all.addAll(LOOPBACK_HOSTS);
    return List.copyOf(all);
  }
}
