package io.horae.server.tls;

import io.horae.server.auth.NodeIdentity;
import io.horae.server.config.TlsConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The node's TLS files, read and checked at start: the certificate must chain to a CA of {@code
 * tls.caFile}, match the key and name this node. The CA file may hold several CA certificates (a
 * bundle, during a CA rotation: docs/security.md, "Rotating the CA"); peers and clients are trusted
 * when they chain to any of them. A failure names the config key of the file, never key material.
 */
public final class TlsMaterial {
  /** Every CA of tls.caFile, in file order. */
  private final List<X509Certificate> cas;

  private final List<X509Certificate> chain;
  private final PrivateKey key;

  private TlsMaterial(List<X509Certificate> cas, List<X509Certificate> chain, PrivateKey key) {
    this.cas = List.copyOf(cas);
    this.chain = chain;
    this.key = key;
  }

  /**
   * Reads the three files of {@code tls} for node {@code nodeId}.
   *
   * @throws TlsSetupException naming the key of the file that is missing, unreadable or wrong
   */
  public static TlsMaterial load(TlsConfig tls, String nodeId) {
    List<X509Certificate> cas = read("tls.caFile", tls.caFile(), true);
    for (int i = 0; i < cas.size(); i++) {
      if (cas.get(i).getBasicConstraints() < 0) {
        throw new TlsSetupException(
            "tls.caFile="
                + tls.caFile()
                + ": certificate "
                + (i + 1)
                + " of "
                + cas.size()
                + " ("
                + cas.get(i).getSubjectX500Principal().getName()
                + ") is not a CA certificate");
      }
    }
    List<X509Certificate> chain = read("tls.certFile", tls.certFile(), false);
    PrivateKey key;
    try {
      key = Pem.readPrivateKey(Path.of(tls.keyFile()));
    } catch (IOException e) {
      throw new TlsSetupException("tls.keyFile=" + tls.keyFile() + ": " + e.getMessage(), e);
    }
    X509Certificate leaf = chain.get(0);
    X509Certificate ca =
        signer(leaf, cas)
            .orElseThrow(
                () ->
                    new TlsSetupException(
                        "tls.certFile="
                            + tls.certFile()
                            + ": not signed by the CA of tls.caFile="
                            + tls.caFile()
                            + (cas.size() > 1
                                ? " (by none of its " + cas.size() + " CA certificates)"
                                : "")));
    String named = NodeIdentity.nodeId(leaf).orElse(null);
    if (!nodeId.equals(named)) {
      throw new TlsSetupException(
          "tls.certFile="
              + tls.certFile()
              + ": names "
              + (named == null ? "no node" : "node " + named)
              + ", but node.id="
              + nodeId
              + " (issue one with horae certs init)");
    }
    if (!fits(key, leaf)) {
      throw new TlsSetupException(
          "tls.keyFile="
              + tls.keyFile()
              + ": not the key of the certificate of tls.certFile="
              + tls.certFile());
    }
    return new TlsMaterial(cas, chain.size() > 1 ? chain : List.of(leaf, ca), key);
  }

  /** Presents this node's certificate and the CA, as a server and as a client. */
  public KeyManager keyManager() {
    return new FixedKeyManager(key, chain.toArray(X509Certificate[]::new));
  }

  /**
   * Whether {@code key} is the private key of {@code cert}: it signs what the certificate's key
   * verifies.
   */
  private static boolean fits(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> key.getAlgorithm(); // Ed25519, Ed448: the key's name is the signature's
        };
    byte[] challenge = "horae: does the key fit the certificate".getBytes(StandardCharsets.UTF_8);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false; // a key of another kind than the certificate's, or one the JDK cannot use
    }
  }

  /** The CA of {@code cas} whose key signed {@code leaf}, if any. */
  private static Optional<X509Certificate> signer(X509Certificate leaf, List<X509Certificate> cas) {
    for (X509Certificate ca : cas) {
      try {
        leaf.verify(ca.getPublicKey());
        return Optional.of(ca);
      } catch (GeneralSecurityException e) {
        // Another CA of the bundle; try the next.
      }
    }
    return Optional.empty();
  }

  /**
   * Trusts exactly the certificates a CA of tls.caFile signed, any of them (PKIX, validity
   * checked).
   */
  public X509TrustManager caTrustManager() {
    try {
      return CaTrust.trustManager(cas);
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsSetupException(
          "tls.caFile: cannot build a trust store from the CA: " + e.getMessage(), e);
    }
  }

  private static List<X509Certificate> read(String keyName, String file, boolean ca) {
    try {
      return Pem.readCertificates(Path.of(file));
    } catch (IOException e) {
      throw new TlsSetupException(
          keyName
              + "="
              + file
              + ": "
              + e.getMessage()
              + (ca ? " (make it with horae certs init)" : ""),
          e);
    }
  }
}
