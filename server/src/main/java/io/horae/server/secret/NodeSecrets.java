package io.horae.server.secret;

import io.horae.server.config.SecretsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads this node's cluster key once at start-up; a bad key file stops the node. */
public final class NodeSecrets {
  private static final Logger LOG = LoggerFactory.getLogger(NodeSecrets.class);

  private NodeSecrets() {}

  /** Anyone who reads the key file can open every stored secret: say so when others may. */
  private static void warnIfOthersMayRead(Path file) throws IOException {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    if (perms.contains(PosixFilePermission.GROUP_READ)
        || perms.contains(PosixFilePermission.OTHERS_READ)) {
      LOG.warn(
          "cluster key file is readable by group or others file={} permissions={}; chmod 600 it",
          file,
          PosixFilePermissions.toString(perms));
    }
  }

  /**
   * @throws IOException naming {@code secrets.keyFile} and the file when it cannot be used
   */
  public static JobSecrets load(SecretsConfig config) throws IOException {
    if (config.keyFile().isEmpty()) {
      return new JobSecrets(Optional.empty());
    }
    Path file = Path.of(config.keyFile());
    try {
      ClusterKey key = ClusterKey.load(file);
      warnIfOthersMayRead(file);
      LOG.info("cluster key loaded file={} key={}", file, key);
      return new JobSecrets(Optional.of(new SecretBox(key, new SecureRandom())));
    } catch (IOException e) {
      throw new IOException("secrets.keyFile=" + config.keyFile() + ": " + e.getMessage(), e);
    }
  }
}
