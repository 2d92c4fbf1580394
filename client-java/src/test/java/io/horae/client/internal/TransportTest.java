package io.horae.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The transport settings never show a bearer token: not in toString, not in a refusal. */
class TransportTest {
  private static final String TOKEN = "horae_transport-test-token-0123456789";

  @Test
  void toStringSaysATokenIsSetButNeverShowsIt() {
    Transport t = new Transport(true, null, null, null, TOKEN);

    assertThat(t.toString()).contains("bearerToken=(set)").doesNotContain(TOKEN);
  }

  @Test
  void aMalformedTokenIsRefusedWithoutQuotingIt() {
    String bad = "horae_has a space-0123456789";

    assertThatThrownBy(() -> new Transport(true, null, null, null, bad))
        .hasMessageContaining("bearer token")
        .hasMessageNotContaining(bad)
        .hasMessageNotContaining("space-0123");
  }
}
