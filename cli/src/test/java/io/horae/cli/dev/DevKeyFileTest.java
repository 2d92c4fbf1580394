package io.horae.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.server.secret.ClusterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code horae dev} signs out of the box: it makes a cluster key in its data directory, readable
 * by the owner only, keeps it when the directory is reused (so stored secrets still open), and
 * names it in every node's config.
 */
class DevKeyFileTest {
  @TempDir Path tmp;

  @Test
  void aFreshDataDirectoryGetsAKeyFileThatIsKeptOnReuse() throws Exception {
    Path dir = tmp.resolve("dev");
    Path file = DevCluster.ensureKeyFile(dir);
    String first = Files.readString(file);
    assertThat(ClusterKey.load(file).toString()).contains("keys=1");
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    assertThat(Files.readString(DevCluster.ensureKeyFile(dir))).isEqualTo(first);
  }

  @Test
  void everyDevNodeConfigNamesTheKeyFile() throws Exception {
    Path file = DevCluster.ensureKeyFile(tmp);
    for (int i = 1; i <= 3; i++) {
      assertThat(DevCluster.config(i, 3, tmp, file).secrets().keyFile()).isEqualTo(file.toString());
    }
  }
}
