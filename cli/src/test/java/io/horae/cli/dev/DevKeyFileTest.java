package io.horae.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.server.config.HoraeConfig;
import io.horae.server.secret.ClusterKey;
import io.horae.server.tls.ClusterCerts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code horae dev} signs out of the box: it makes a cluster key in its data directory, readable by
 * the owner only, keeps it when the directory is reused (so stored secrets still open), and names
 * it in every node's config.
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
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    assertThat(Files.readString(DevCluster.ensureKeyFile(dir))).isEqualTo(first);
  }

  @Test
  void everyDevNodeConfigNamesTheKeyFileAndItsOwnCertificateWithTlsOn() throws Exception {
    Path file = DevCluster.ensureKeyFile(tmp);
    ClusterCerts certs = ClusterCerts.loopback(tmp.resolve("certs"), List.of("n1", "n2", "n3"));
    for (int i = 1; i <= 3; i++) {
      HoraeConfig c = DevCluster.config(i, 3, tmp, file, certs);
      assertThat(c.secrets().keyFile()).isEqualTo(file.toString());
      assertThat(c.tls().enabled()).isTrue();
      assertThat(c.tls().certFile()).isEqualTo(certs.cert("n" + i).toString());
      assertThat(c.self().internal().port()).isEqualTo(DevCluster.INTERNAL_PORT_BASE + i - 1);
    }
  }
}
