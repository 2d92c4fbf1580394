package io.horae.cli.context;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One named way to reach a cluster, kubectl style: where the nodes are and how to talk to them.
 * Each setting may be absent (null), and then comes from the environment or the built-in default.
 * A bearer token joins these when tokens exist (issue 12, item 3); {@code context.<name>.token} is
 * reserved for it.
 *
 * @param name the context's name, {@code [A-Za-z0-9._-]{1,64}}
 * @param endpoints comma-separated {@code host:port} of the nodes' public API
 * @param ca PEM of the CA to trust
 * @param cert PEM of the client certificate
 * @param key PKCS#8 PEM of the client certificate's key
 * @param plaintext whether to talk without TLS; null when not set
 */
public record Context(String name, String endpoints, Path ca, Path cert, Path key, Boolean plaintext) {
  public Context {
    Objects.requireNonNull(name, "name");
  }
}
