package io.horae.server.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The allowlist opens exactly what it names: its networks, and its host names matched exactly. */
class TargetAllowlistTest {
  @Test
  void anEmptyListAllowsNothing() {
    assertThat(TargetAllowlist.parse("  ")).isEqualTo(TargetAllowlist.NONE);
    assertThat(TargetAllowlist.NONE.allows("localhost", ip("127.0.0.1"))).isFalse();
  }

  @Test
  void networksAddressesAndNamesAreReadAndWrittenBackInConfigSyntax() {
    TargetAllowlist a =
        TargetAllowlist.parse(" 127.0.0.1 , 10.20.0.0/16,fd00::/8, Hooks.Internal.Example. ");
    assertThat(a.hosts()).containsExactly("hooks.internal.example");
    assertThat(a.format())
        .isEqualTo("127.0.0.1/32,10.20.0.0/16,fd00:0:0:0:0:0:0:0/8,hooks.internal.example");
    assertThat(TargetAllowlist.parse(a.format())).isEqualTo(a);
  }

  @Test
  void aNetworkAllowsItsAddressesAndNoOthers() {
    TargetAllowlist a = TargetAllowlist.parse("10.20.0.0/16,fd00::/8");
    assertThat(a.allows("x", ip("10.20.255.255"))).isTrue();
    assertThat(a.allows("x", ip("10.21.0.0"))).isFalse();
    assertThat(a.allows("x", ip("fdff::1"))).isTrue();
    assertThat(a.allows("x", ip("fc00::1"))).isFalse();
    assertThat(TargetAllowlist.parse("127.0.0.1/32").allows("x", ip("127.0.0.2"))).isFalse();
  }

  @Test
  void anIpv4NetworkDoesNotAllowTheDeprecatedIpv6FormOfItsAddresses() {
    assertThat(TargetAllowlist.parse("127.0.0.1/32").allows("x", ip("::127.0.0.1"))).isFalse();
  }

  @Test
  void aNameAllowsEveryAddressOfThatNameAndOnlyOfThatName() {
    TargetAllowlist a = TargetAllowlist.parse("hooks.internal.example");
    assertThat(a.allows("HOOKS.internal.example.", ip("10.0.0.1"))).isTrue();
    assertThat(a.allows("evil.hooks.internal.example", ip("10.0.0.1"))).isFalse();
    assertThat(a.allows("hooks.internal.example.evil", ip("10.0.0.1"))).isFalse();
    assertThat(a.allows("10.0.0.1", ip("10.0.0.1"))).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          10.0.0.1/8          | has bits set past its prefix; the network is 10.0.0.0/8
          10.0.0.0/33         | the prefix length must be 0 to 32
          fd00::/129          | the prefix length must be 0 to 128
          10.0.0.0/x          | the prefix length must be 0 to 32
          hooks.example/24    | is not an IP address or network
          127.1               | is not an IP address or network
          *.hooks.example     | wildcards are not accepted
          a..b                | is neither a CIDR
          10.0.0.0/8,,a.b     | holds an empty entry
          """)
  void aBadEntryIsRefusedWithTheRuleItBreaks(String text, String rule) {
    assertThatThrownBy(() -> TargetAllowlist.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(rule);
  }

  static InetAddress ip(String literal) {
    return IpLiterals.parse(literal).orElseThrow();
  }
}
