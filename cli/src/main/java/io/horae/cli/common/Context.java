package io.horae.cli.common;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One named way to reach a cluster, kubectl style: where the nodes are, how to talk to them and
 * which credential to present. Each setting may be absent (null), and then comes from the
 * environment or the built-in default.
 *
 * @param name the context's name, {@code [A-Za-z0-9._-]{1,64}}
 * @param endpoints comma-separated {@code host:port} of the nodes' public API
 * @param ca PEM of the CA to trust
 * @param cert PEM of the client certificate
 * @param key PKCS#8 PEM of the client certificate's key
 * @param plaintext whether to talk without TLS; null when not set
 * @param tokenFile a file holding a bearer token (the preferred way to keep one)
 * @param token a bearer token written in the context file itself; never printed ({@link #toString})
 */
public record Context(
    String name,
    String endpoints,
    Path ca,
    Path cert,
    Path key,
    Boolean plaintext,
    Path tokenFile,
    String token) {
  public Context {
    Objects.requireNonNull(name, "name");
  }

  /** A context without a bearer token. */
  public Context(String name, String endpoints, Path ca, Path cert, Path key, Boolean plaintext) {
    this(name, endpoints, ca, cert, key, plaintext, null, null);
  }

  /** This context with a token file instead of any token it had. */
  public Context withTokenFile(Path file) {
    return new Context(name, endpoints, ca, cert, key, plaintext, file, null);
  }

  /** Every setting but the token, which shows only as set or not. */
  @Override
  public String toString() {
    return "Context[name="
        + name
        + ", endpoints="
        + endpoints
        + ", ca="
        + ca
        + ", cert="
        + cert
        + ", key="
        + key
        + ", plaintext="
        + plaintext
        + ", tokenFile="
        + tokenFile
        + ", token="
        + (token == null ? "null" : "(set)")
        + "]";
  }
}
