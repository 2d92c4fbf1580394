package io.horae.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sample files in {@code config/} at the repository root must load, describe the same cluster,
 * and document only real keys with their real defaults, so the docs cannot drift.
 */
class SampleConfigsTest {
  private static final List<String> SAMPLES =
      List.of("node1.properties", "node2.properties", "node3.properties");

  /** A commented-out setting such as {@code # exec.windowMax=20000}. */
  private static final Pattern COMMENTED_SETTING =
      Pattern.compile("#\\s*([a-z]+\\.[A-Za-z.]+)=(\\S*)");

  static Stream<String> samples() {
    return SAMPLES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void sampleNodeFileLoadsWithoutError(String name) throws ConfigException {
    HoraeConfig c = ConfigLoader.load(configDir().resolve(name));

    String n = name.substring("node".length(), "node".length() + 1);
    assertThat(c.node().id()).isEqualTo("n" + n);
    assertThat(c.node().dataDir()).isEqualTo(Path.of("./data/node" + n));
    assertThat(c.self().api().port()).isEqualTo(7069 + Integer.parseInt(n));
    assertThat(c.self().raft().port()).isEqualTo(7169 + Integer.parseInt(n));
    assertThat(c.self().admin().port()).isEqualTo(7269 + Integer.parseInt(n));
  }

  @Test
  void sampleNodeFilesDescribeTheSameCluster() throws ConfigException {
    List<HoraeConfig> configs = new ArrayList<>();
    for (String name : SAMPLES) {
      configs.add(ConfigLoader.load(configDir().resolve(name)));
    }
    for (HoraeConfig c : configs) {
      assertThat(c.peers()).isEqualTo(configs.get(0).peers());
      assertThat(c.raft()).isEqualTo(configs.get(0).raft());
      assertThat(c.shards()).isEqualTo(configs.get(0).shards());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void commentedSettingsInSamplesAreKnownKeysWithTheirDefaults(String name) throws Exception {
    Path file = configDir().resolve(name);
    Properties base = new Properties();
    try (var reader = Files.newBufferedReader(file)) {
      base.load(reader);
    }
    HoraeConfig defaults = ConfigLoader.fromProperties(base);
    int documented = 0;
    for (String line : Files.readAllLines(file)) {
      Matcher m = COMMENTED_SETTING.matcher(line.strip());
      if (m.matches()) {
        Key<?> key = Keys.BY_NAME.get(m.group(1));
        assertThat(key).as("documented key %s", m.group(1)).isNotNull();
        assertThat(m.group(2)).as(m.group(1)).isEqualTo(key.formatFrom(defaults));
        documented++;
      }
    }
    // Set, not commented out: node.id, node.dataDir, secrets.keyFile, webhook.targetAllow, the
    // three tls files and auth.accessFile.
    assertThat(documented).as("documented defaults").isEqualTo(Keys.ALL.size() - 8);
  }

  @Test
  void loggingConfigsExist() {
    assertThat(configDir().resolve("logback.xml")).isRegularFile();
    assertThat(configDir().resolve("logback-test.xml")).isRegularFile();
  }

  /** Walks up from the working directory (the module dir under Maven) to the repository root. */
  static Path configDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("config").resolve("node1.properties"))) {
        return dir.resolve("config");
      }
      dir = dir.getParent();
    }
    throw new AssertionError("no config/node1.properties above " + Path.of("").toAbsolutePath());
  }
}
