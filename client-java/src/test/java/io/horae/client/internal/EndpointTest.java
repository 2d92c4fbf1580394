package io.horae.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {

  @Test
  void parsesHostAndPort() {
    assertThat(Endpoint.parse(" node-1.example:7070 "))
        .isEqualTo(new Endpoint("node-1.example", 7070));
  }

  @Test
  void parsesABracketedIpv6AddressAndPrintsItBack() {
    Endpoint endpoint = Endpoint.parse("[::1]:7071");

    assertThat(endpoint.host()).isEqualTo("::1");
    assertThat(endpoint).hasToString("[::1]:7071");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost",
        "localhost:",
        ":7070",
        "localhost:http",
        "localhost:0",
        "localhost:70000",
        "::1:7070"
      })
  void rejectsTextThatIsNotHostColonPortNamingIt(String text) {
    assertThatThrownBy(() -> Endpoint.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void parseAllSkipsBlanksAndRejectsAnEmptyList() {
    assertThat(Endpoint.parseAll(List.of("a:1", " ", "b:2"))).hasSize(2);
    assertThatThrownBy(() -> Endpoint.parseAll(List.of(" ")))
        .hasMessageContaining("no endpoint given");
  }

  @Test
  void parseAllRejectsMoreThanTheLimit() {
    assertThatThrownBy(
            () -> Endpoint.parseAll(Collections.nCopies(Endpoint.ENDPOINTS_MAX + 1, "a:1")))
        .hasMessageContaining("at most " + Endpoint.ENDPOINTS_MAX);
  }
}
