package io.horae.server.config;

import java.util.Objects;

/**
 * TLS on every gRPC port of the node (docs/security.md). On by default; the three files come from
 * {@code horae certs init}. The files are read when the node starts, not when the config loads.
 *
 * @param enabled false serves and calls in plaintext, logged at WARN at every start
 * @param caFile PEM of the cluster CA: peers, and client certificates, must chain to it
 * @param certFile PEM of this node's certificate (then the CA), naming {@code horae-node:<id>}
 * @param keyFile PKCS#8 PEM of this node's private key
 * @param admin the admin HTTP port serves HTTPS with the node's certificate ({@code admin.tls}; by
 *     default as {@code enabled}); false keeps it plain HTTP, logged at WARN at every start
 */
public record TlsConfig(
    boolean enabled,
    String caFile,
    String certFile,
    String keyFile,
    @KeyName("admin.tls") boolean admin) {
  public static final boolean ENABLED_DEFAULT = true;

  public TlsConfig {
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    if (admin && !enabled) {
      throw new IllegalArgumentException("admin.tls=true needs tls.enabled=true");
    }
  }

  /** The admin port as the gRPC ports: HTTPS exactly when TLS is on. */
  public TlsConfig(boolean enabled, String caFile, String certFile, String keyFile) {
    this(enabled, caFile, certFile, keyFile, enabled);
  }

  /** Plaintext everywhere: only for configs that say {@code tls.enabled=false}. */
  public static final TlsConfig PLAINTEXT = new TlsConfig(false, "", "", "", false);
}
