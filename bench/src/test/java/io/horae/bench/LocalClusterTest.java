package io.horae.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;
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
    try (LocalCluster cluster =
        LocalCluster.start(dir, 1, "64m", false, missingFiles(), false, null)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(cluster::checkAlive)
                      .isInstanceOf(NodeFailedException.class)
                      .hasMessageContaining("node n1 exited with code 1")
                      .hasMessageContaining(io.horae.server.HoraeServer.class.getName()));
      assertThatThrownBy(() -> cluster.awaitReady("n1", Duration.ofSeconds(30)))
          .isInstanceOf(NodeFailedException.class);
    } finally {
      restore("horae.node.classpath", before);
    }
  }

  @Test
  void onlyNodeN1TrainsTheAheadOfTimeCacheAndNodesStartFromOneThatExistsUnlessProfiled()
      throws Exception {
    String classpath = System.getProperty("horae.node.classpath");
    String cacheProperty = System.getProperty("horae.node.aotCache");
    System.setProperty("horae.node.classpath", dir.resolve("no-such.jar").toString());
    try {
      Path output = dir.resolve("training.aot");
      try (LocalCluster training =
          LocalCluster.start(dir.resolve("t"), 2, "64m", false, missingFiles(), false, output)) {
        assertThat(training.aotFlags("n1")).containsExactly("-XX:AOTCacheOutput=" + output);
        assertThat(training.aotFlags("n2")).isEmpty();
        assertThat(training.usesAotCache()).isFalse();
      }

      Path cache = dir.resolve("node.aot");
      System.setProperty("horae.node.aotCache", cache.toString());
      try (LocalCluster noCacheYet =
          LocalCluster.start(dir.resolve("a"), 2, "64m", false, missingFiles(), false, null)) {
        assertThat(noCacheYet.aotFlags("n2")).isEmpty();
      }
      Files.writeString(cache, "a cache");
      try (LocalCluster plain =
              LocalCluster.start(dir.resolve("b"), 2, "64m", false, missingFiles(), false, null);
          LocalCluster profiled =
              LocalCluster.start(dir.resolve("c"), 2, "64m", true, missingFiles(), false, null)) {
        assertThat(plain.aotFlags("n2")).contains("-XX:AOTCache=" + cache);
        assertThat(plain.usesAotCache()).isTrue();
        assertThat(profiled.aotFlags("n1")).isEmpty();
        assertThat(profiled.usesAotCache()).isFalse();
      }
    } finally {
      restore("horae.node.classpath", classpath);
      restore("horae.node.aotCache", cacheProperty);
    }
  }

  /** TLS files that do not exist: a node exits before it reads one, and names do. */
  private static CertMaker missingFiles() {
    return (certs, ids) ->
        new CertMaker.Files(
            certs.resolve("ca.pem"),
            ids.stream().collect(Collectors.toMap(id -> id, id -> certs.resolve(id + ".pem"))),
            ids.stream().collect(Collectors.toMap(id -> id, id -> certs.resolve(id + "-key.pem"))),
            certs.resolve("admin.pem"),
            certs.resolve("admin-key.pem"),
            certs.resolve("admin.token"),
            certs.resolve("tokens"),
            null);
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
