package io.horae.server.auth;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Who a certificate names. A node certificate carries the URI SAN {@code horae-node:<id>}, a client
 * certificate {@code horae-client:<name>} (docs/security.md, "Certificates"). The common name
 * repeats the id for people reading the certificate; only the URI counts.
 */
public final class NodeIdentity {
  /** The URI SAN scheme of node certificates. */
  public static final String NODE_SCHEME = "horae-node:";

  /** The URI SAN scheme of client certificates. */
  public static final String CLIENT_SCHEME = "horae-client:";

  /** The general-name tag of a URI in {@link X509Certificate#getSubjectAlternativeNames()}. */
  private static final int SAN_URI = 6;

  private NodeIdentity() {}

  /** The node id a certificate names, if it is a node certificate. */
  public static Optional<String> nodeId(X509Certificate cert) {
    return uriWithScheme(cert, NODE_SCHEME);
  }

  /** The client name a certificate names, if it is a client certificate. */
  public static Optional<String> clientName(X509Certificate cert) {
    return uriWithScheme(cert, CLIENT_SCHEME);
  }

  private static Optional<String> uriWithScheme(X509Certificate cert, String scheme) {
    Collection<List<?>> names;
    try {
      names = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (names == null) {
      return Optional.empty();
    }
    for (List<?> name : names) {
      if (name.size() == 2
          && Integer.valueOf(SAN_URI).equals(name.get(0))
          && name.get(1) instanceof String uri
          && uri.startsWith(scheme)) {
        return Optional.of(uri.substring(scheme.length()));
      }
    }
    return Optional.empty();
  }
}
