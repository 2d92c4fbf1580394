package io.horae.server.secret;

import io.horae.server.config.SecretsConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;

/** Loads this node's cluster key once at start-up; a bad key file stops the node. */
public final class NodeSecrets {
  private NodeSecrets() {}

  /**
   * @throws IOException naming {@code secrets.keyFile} and the file when it cannot be used
   */
  public static JobSecrets load(SecretsConfig config) throws IOException {
    if (config.keyFile().isEmpty()) {
      return new JobSecrets(Optional.empty());
    }
    try {
      return new JobSecrets(Optional.of(new SecretBox(ClusterKey.load(Path.of(config.keyFile())), new SecureRandom())));
    } catch (IOException e) {
      throw new IOException("secrets.keyFile=" + config.keyFile() + ": " + e.getMessage(), e);
    }
  }
}
