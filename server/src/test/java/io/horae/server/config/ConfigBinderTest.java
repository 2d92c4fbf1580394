package io.horae.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
  @Test
  void everyDeclaredKeyIsCarriedByExactlyOneRecordComponentAndEveryComponentByAKey() {
    List<String> bound = ConfigBinder.boundKeyNames();
    assertThat(bound).doesNotHaveDuplicates();
    assertThat(bound)
        .containsExactlyInAnyOrderElementsOf(Keys.ALL.stream().map(Key::name).toList());
  }

  @Test
  void aKeyWhoseDefaultComesFromAnotherIsDeclaredAfterIt() {
    Keys.DEFAULT_FROM.forEach(
        (key, from) ->
            assertThat(Keys.ALL.indexOf(from)).as(key.name()).isLessThan(Keys.ALL.indexOf(key)));
  }

  @Test
  void eachKeyReadsBackFromTheBuiltConfigAsTheValueItWasGivenUnderItsOwnName()
      throws ConfigException {
    java.util.Properties props = ConfigFixtures.threeNodes();
    props.setProperty("node.join", "true");
    props.setProperty("admin.tls", "false");
    props.setProperty("raft.snapshotEveryEntries", "12345");
    HoraeConfig config = ConfigLoader.fromProperties(props);
    assertThat(config.membership().join()).isTrue();
    assertThat(config.tls().admin()).isFalse();
    assertThat(config.raft().snapshotEveryEntries()).isEqualTo(12_345);
    assertThat(Keys.BY_NAME.get("raft.snapshotEveryEntries").formatFrom(config)).isEqualTo("12345");
    assertThat(Keys.BY_NAME.get("node.join").formatFrom(config)).isEqualTo("true");
    for (Key<?> key : Keys.ALL) {
      assertThat(ConfigBinder.read(config, key.name())).as(key.name()).isInstanceOf(key.type());
    }
  }
}
