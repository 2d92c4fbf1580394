package io.horae.server.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Trust in a set of CA certificates: the node's {@code tls.caFile}, which may hold several during a
 * CA rotation (docs/security.md, "Rotating the CA"), and the clients of a node's admin HTTPS port.
 */
public final class CaTrust {
  private CaTrust() {}

  /** Trusts exactly the certificates one of {@code cas} signed (PKIX, validity checked). */
  static X509TrustManager trustManager(List<X509Certificate> cas)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    for (int i = 0; i < cas.size(); i++) {
      store.setCertificateEntry("ca-" + i, cas.get(i));
    }
    TrustManagerFactory f =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(store);
    return (X509TrustManager) f.getTrustManagers()[0];
  }

  /**
   * A TLS context for HTTPS clients of the nodes' admin ports (health probes, metric scrapers in
   * the tests, the chaos suite and {@code horae dev}), trusting the CAs of this PEM file only.
   *
   * @throws IOException naming the file when it cannot be read or holds no usable certificate
   */
  public static SSLContext clientContext(Path caPem) throws IOException {
    List<X509Certificate> cas = Pem.readCertificates(caPem);
    try {
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, new javax.net.ssl.TrustManager[] {trustManager(cas)}, null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IOException(caPem + ": cannot trust these certificates: " + e.getMessage(), e);
    }
  }
}
