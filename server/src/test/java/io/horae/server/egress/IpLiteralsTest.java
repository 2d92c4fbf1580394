package io.horae.server.egress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Literals are read without a resolver; anything an HTTP client would take for an address is seen.
 */
class IpLiteralsTest {
  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.1",
        "2130706433",
        "0177.0.0.1",
        "010.0.0.1",
        "256.0.0.1",
        "1.2.3.4.5",
        "1.2.3",
        "::g",
        "[::1",
        "fe80::1%"
      })
  void shorthandOctalOrBrokenAddressesAreNoPlainLiteral(String host) {
    assertThat(IpLiterals.parse(host)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.1",
        "2130706433",
        "0177.0.0.1",
        "1.2.3.4",
        "::1",
        "[::1]",
        "::ffff:127.0.0.1",
        "1.2.3.4.5"
      })
  void hostsAClientReadsAsAnAddressAreRecognised(String host) {
    assertThat(IpLiterals.takenAsAddress(host)).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "localhost",
        "hooks.example",
        "0x7f000001",
        "1.2.3.4.example",
        "xn--mnchen-3ya.example"
      })
  void namesAreNotTakenAsAddresses(String host) {
    assertThat(IpLiterals.takenAsAddress(host)).isFalse();
  }

  @Test
  void aMappedLiteralIsReadAsItsIpv4Address() {
    assertThat(IpLiterals.parse("[::ffff:10.0.0.1]").orElseThrow().getAddress())
        .containsExactly(10, 0, 0, 1);
  }
}
