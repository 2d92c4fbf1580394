package io.horae.server.tls;

import io.horae.server.config.TlsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The node's TLS files, read and checked at start: the certificate must chain to the CA, match
 * the key and name this node. A failure names the config key of the file, never key material.
 */
public final class TlsMaterial {
  private static final char[] NO_PASSWORD = new char[0];

  private final X509Certificate ca;
  private final List<X509Certificate> chain;
  private final PrivateKey key;

  private TlsMaterial(X509Certificate ca, List<X509Certificate> chain, PrivateKey key) {
    this.ca = ca;
    this.chain = chain;
    this.key = key;
  }

  /**
   * Reads the three files of {@code tls} for node {@code nodeId}.
   *
   * @throws TlsSetupException naming the key of the file that is missing, unreadable or wrong
   */
  public static TlsMaterial load(TlsConfig tls, String nodeId) {
    X509Certificate ca = read("tls.caFile", tls.caFile(), true).get(0);
    List<X509Certificate> chain = read("tls.certFile", tls.certFile(), false);
    PrivateKey key;
    try {
      key = Pem.readPrivateKey(Path.of(tls.keyFile()));
    } catch (IOException e) {
      throw new TlsSetupException("tls.keyFile=" + tls.keyFile() + ": " + e.getMessage(), e);
    }
    X509Certificate leaf = chain.get(0);
    try {
      leaf.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException("tls.certFile=" + tls.certFile() + ": not signed by the CA of tls.caFile=" + tls.caFile(), e);
    }
    String named = NodeIdentity.nodeId(leaf).orElse(null);
    if (!nodeId.equals(named)) {
      throw new TlsSetupException(
          "tls.certFile=" + tls.certFile() + ": names " + (named == null ? "no node" : "node " + named) + ", but node.id=" + nodeId
              + " (issue one with horae certs init)");
    }
    TlsMaterial m = new TlsMaterial(ca, chain.size() > 1 ? chain : List.of(leaf, ca), key);
    m.keyManager(); // A key that does not match the certificate fails here, at start.
    return m;
  }

  /** Presents this node's certificate and the CA. */
  public KeyManager keyManager() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("node", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(store, NO_PASSWORD);
      return f.getKeyManagers()[0];
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsSetupException("tls.keyFile: the key does not fit the certificate of tls.certFile: " + e.getMessage(), e);
    }
  }

  /** Trusts exactly the certificates the cluster CA signed (PKIX, validity checked). */
  public X509TrustManager caTrustManager() {
    try {
      return CaTrust.trustManager(List.of(ca));
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsSetupException("tls.caFile: cannot build a trust store from the CA: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> read(String keyName, String file, boolean ca) {
    try {
      return Pem.readCertificates(Path.of(file));
    } catch (IOException e) {
      throw new TlsSetupException(keyName + "=" + file + ": " + e.getMessage() + (ca ? " (make it with horae certs init)" : ""), e);
    }
  }
}
