package io.horae.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which client a call counts against for per-client limits. */
class CallerIdentityTest {
  @Test
  void aPrincipalIsTheClientWhateverItsAddress() {
    Principal alice = new Principal("alice", List.of());

    assertThat(CallerIdentity.of(alice, new InetSocketAddress("127.0.0.1", 5000)))
        .isEqualTo("principal alice");
  }

  @Test
  void withoutAPrincipalTheIpAddressIsTheClientWhateverThePort() {
    String one = CallerIdentity.of(null, new InetSocketAddress("127.0.0.1", 5000));
    String other = CallerIdentity.of(null, new InetSocketAddress("127.0.0.1", 5001));

    assertThat(one).isEqualTo("address 127.0.0.1").isEqualTo(other);
  }

  @Test
  void anUnknownPeerIsOneClient() {
    assertThat(CallerIdentity.of(null, null)).isEqualTo("address unknown");
  }
}
