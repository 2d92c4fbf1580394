package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster's ports and its watch on the node processes. A node whose process exits on its
 * own must end every wait with the node's own last log lines; here the node cannot even find its
 * main class (a classpath that does not exist), which is the quickest real exit.
 */
class LocalClusterTest {
  @TempDir Path dir;

  @Test
  void portsTakenTogetherAreAllDistinct() {
    int[] ports = FreePorts.distinct(30);

    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(30);
  }

  @Test
  void aNodeThatExitsOnItsOwnEndsTheWaitWithTheLastLinesOfItsLog() throws Exception {
    String before = System.getProperty("horae.node.classpath");
    System.setProperty("horae.node.classpath", dir.resolve("no-such.jar").toString());
    // The node exits before it reads a file: names of files that do not exist do.
    CertMaker none =
        (certs, ids) ->
            new CertMaker.Files(
                certs.resolve("ca.pem"),
                Map.of("n1", certs.resolve("n1.pem")),
                Map.of("n1", certs.resolve("n1-key.pem")),
                certs.resolve("admin.pem"),
                certs.resolve("admin-key.pem"),
                certs.resolve("admin.token"),
                certs.resolve("tokens"),
                null);
    try (LocalCluster cluster = LocalCluster.start(dir, 1, "64m", false, none, false)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(cluster::checkAlive)
                      .isInstanceOf(NodeExitedException.class)
                      .hasMessageContaining("node n1 exited with code 1")
                      .hasMessageContaining(io.horae.server.HoraeServer.class.getName()));
      assertThatThrownBy(() -> cluster.awaitReady("n1", Duration.ofSeconds(30)))
          .isInstanceOf(NodeExitedException.class);
    } finally {
      if (before == null) {
        System.clearProperty("horae.node.classpath");
      } else {
        System.setProperty("horae.node.classpath", before);
      }
    }
  }
}
