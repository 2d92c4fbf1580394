package io.horae.server.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import okhttp3.Dns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guard's decisions without a network: its Dns is fed by a map from test names to addresses (so
 * a denied range is "resolved" without any packet), and the create-time check reads literals. What
 * OkHttp does with the answers is covered by DeliveryTargetGuardTest over loopback.
 */
class TargetGuardTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  TargetGuard guard(String allow, Map<String, List<String>> names) {
    Dns resolver =
        host -> {
          List<String> found = names.get(host);
          if (found == null) {
            throw new UnknownHostException(host);
          }
          return found.stream().map(TargetAllowlistTest::ip).toList();
        };
    return new TargetGuard(TargetAllowlist.parse(allow), resolver, registry);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "255.255.255.255",
        "224.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:a00:1::1",
        "2001:db8::1"
      })
  void aNameResolvingOnlyToADeniedRangeIsRefusedWithoutItsAddressInTheMessage(String address) {
    TargetGuard g = guard("", Map.of("x.test", List.of(address)));
    AddressClass expected = AddressClassifier.classify(TargetAllowlistTest.ip(address));

    assertThatThrownBy(() -> g.dns().lookup("x.test"))
        .isInstanceOfSatisfying(
            TargetRefusedException.class, e -> assertThat(e.reason()).isEqualTo(expected.tag()))
        .hasMessage(
            "target refused: x.test resolves to "
                + expected.described()
                + "; not in this node's webhook.targetAllow");
    assertThat(
            registry
                .get(TargetGuard.REFUSED_METRIC)
                .tag("reason", expected.tag())
                .tag("stage", "connect")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void deniedAnswersAreDroppedAndOnlyCheckedAddressesAreHandedToTheClient() throws Exception {
    TargetGuard g =
        guard("", Map.of("mixed.test", List.of("10.0.0.1", "8.8.8.8", "::1", "2606:4700::1111")));
    assertThat(g.dns().lookup("mixed.test"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("8.8.8.8", "2606:4700:0:0:0:0:0:1111");
  }

  @Test
  void anAllowlistedNameOrNetworkPassesItsAddresses() throws Exception {
    TargetGuard g =
        guard(
            "hooks.test,10.20.0.0/16",
            Map.of(
                "hooks.test",
                List.of("127.0.0.1"),
                "other.test",
                List.of("10.20.1.1", "10.21.1.1")));
    assertThat(g.dns().lookup("hooks.test"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("127.0.0.1");
    assertThat(g.dns().lookup("other.test"))
        .extracting(InetAddress::getHostAddress)
        .containsExactly("10.20.1.1");
  }

  @Test
  void aNameThatDoesNotResolveFailsAsUnknownNotAsRefused() {
    assertThatThrownBy(() -> guard("", Map.of()).dns().lookup("nowhere.test"))
        .isInstanceOf(UnknownHostException.class)
        .isNotInstanceOf(TargetRefusedException.class);
  }

  @Test
  void atCreateADeniedLiteralIsRefusedAndANameOrAnAllowedLiteralIsNot() {
    TargetGuard g = guard("127.0.0.1/32", Map.of());
    assertThat(g.refusedAtCreate("10.1.2.3"))
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .contains("10.1.2.3 is a private address")
                    .contains("webhook.targetAllow"));
    assertThat(g.refusedAtCreate("::1"))
        .hasValueSatisfying(why -> assertThat(why).contains("a loopback address"));
    assertThat(g.refusedAtCreate("127.1"))
        .hasValueSatisfying(why -> assertThat(why).contains("no plain one"));
    assertThat(g.refusedAtCreate("127.0.0.1")).isEmpty();
    assertThat(g.refusedAtCreate("8.8.8.8")).isEmpty();
    assertThat(g.refusedAtCreate("internal.test")).isEmpty();
    assertThat(
            registry
                .get(TargetGuard.REFUSED_METRIC)
                .tag("reason", "private")
                .tag("stage", "create")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get(TargetGuard.REFUSED_METRIC)
                .tag("reason", TargetGuard.MALFORMED)
                .counter()
                .count())
        .isEqualTo(1);
  }
}
