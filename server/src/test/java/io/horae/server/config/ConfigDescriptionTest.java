package io.horae.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The start-up rendering of the config, and the key table it is built from. */
class ConfigDescriptionTest {

  @Test
  void describeListsEveryKeyOncePerLineSorted() throws ConfigException {
    List<String> lines =
        ConfigLoader.fromProperties(ConfigFixtures.threeNodes()).describe().lines().toList();

    assertThat(lines).isSorted().doesNotHaveDuplicates().hasSize(Keys.ALL.size() + 3 * 4);
    assertThat(lines)
        .contains(
            "exec.scanInterval=250ms",
            "raft.batchBytesMax=1MiB",
            "api.requestIdTtl=1d",
            "node.id=n1",
            "peers.n2.admin=127.0.0.1:7271");
  }

  @Test
  void describedConfigLoadsBackToTheSameConfig() throws Exception {
    Properties p = ConfigFixtures.threeNodes();
    p.setProperty("exec.lookahead", "3s");
    p.setProperty("api.bodyBytesMax", "100000");
    HoraeConfig original = ConfigLoader.fromProperties(p);

    Properties reread = new Properties();
    reread.load(new StringReader(original.describe()));

    assertThat(ConfigLoader.fromProperties(reread)).isEqualTo(original);
  }

  @Test
  void valuesOfKeysNamedLikeSecretsAreMasked() {
    assertThat(ConfigDescription.mask("webhook.signingSecret", "abc")).isEqualTo("****");
    assertThat(ConfigDescription.mask("admin.PASSWORD", "abc")).isEqualTo("****");
    assertThat(ConfigDescription.mask("api.authToken", "abc")).isEqualTo("****");
    assertThat(ConfigDescription.mask("exec.windowMax", "20000")).isEqualTo("20000");
    assertThat(ConfigDescription.mask("secrets.keyFile", "/etc/horae/cluster.key"))
        .isEqualTo("/etc/horae/cluster.key");
  }

  @Test
  void everyDeclaredKeyIsInTheKeyTable() throws IllegalAccessException {
    List<Field> keyFields =
        Arrays.stream(Keys.class.getDeclaredFields())
            .filter(f -> f.getType() == Key.class && Modifier.isStatic(f.getModifiers()))
            .toList();
    assertThat(keyFields).isNotEmpty();
    for (Field f : keyFields) {
      assertThat(Keys.ALL).as(f.getName()).contains((Key<?>) f.get(null));
    }
    assertThat(Keys.ALL).hasSize(keyFields.size()).doesNotHaveDuplicates();
  }

  @Test
  void closestKnownKeyIsSuggestedForTyposOnly() {
    List<String> known = List.of("exec.windowMax", "exec.lookahead");

    assertThat(KeySuggestion.closest("exec.windowmax", known)).contains("exec.windowMax");
    assertThat(KeySuggestion.closest("exec.lookAhead", known)).contains("exec.lookahead");
    assertThat(KeySuggestion.closest("exec.claimTime", known)).isEmpty();
  }
}
