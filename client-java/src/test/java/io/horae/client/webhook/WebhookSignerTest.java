package io.horae.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The signer against signatures computed independently with OpenSSL ({@link KnownAnswer}), plus its
 * input bounds and secret handling.
 */
class WebhookSignerTest {
  private static final WebhookSecret SECRET = WebhookSecret.parse(KnownAnswer.SECRET);
  private static final WebhookSecret ROTATED = WebhookSecret.parse(KnownAnswer.ROTATED_SECRET);

  @Test
  void signsLikeOpenSslForTheKnownAnswer() {
    String header =
        new WebhookSigner(List.of(SECRET))
            .sign(KnownAnswer.ID, KnownAnswer.TIMESTAMP_SECONDS, KnownAnswer.BODY);

    assertThat(header).isEqualTo(KnownAnswer.SIGNATURE);
  }

  @Test
  void listsOneEntryPerSecretInTheGivenOrderDuringARotation() {
    String header =
        new WebhookSigner(List.of(ROTATED, SECRET))
            .sign(KnownAnswer.ID, KnownAnswer.TIMESTAMP_SECONDS, KnownAnswer.BODY);

    assertThat(header).isEqualTo(KnownAnswer.ROTATED_SIGNATURE + " " + KnownAnswer.SIGNATURE);
  }

  @Test
  void acceptsASecretWithoutThePrefix() {
    WebhookSecret bare = WebhookSecret.parse(KnownAnswer.SECRET.substring("whsec_".length()));

    assertThat(
            new WebhookSigner(List.of(bare))
                .sign(KnownAnswer.ID, KnownAnswer.TIMESTAMP_SECONDS, KnownAnswer.BODY))
        .isEqualTo(KnownAnswer.SIGNATURE);
  }

  @Test
  void signsAnEmptyBodyAndTimestampZeroLikeOpenSsl() {
    // printf %s 'msg_1.0.' | openssl dgst -sha256 -hmac 'horae-known-answer-key01' -binary | base64
    assertThat(new WebhookSigner(List.of(SECRET)).sign("msg_1", 0, new byte[0]))
        .isEqualTo("v1,AomIPb90u0GNStxtHwGLsW27CeyQ6tdfFzai7cq2ghQ=");
  }

  @Test
  void refusesNoSecretsAndMoreThanTheMaximum() {
    assertThatThrownBy(() -> new WebhookSigner(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new WebhookSigner(Collections.nCopies(WebhookSigner.SECRETS_MAX + 1, SECRET)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(WebhookSigner.SECRETS_MAX));
  }

  @Test
  void refusesAnEmptyTooLongOrSpacedIdAndANegativeTimestamp() {
    WebhookSigner signer = new WebhookSigner(List.of(SECRET));
    byte[] body = new byte[0];

    assertThatThrownBy(() -> signer.sign("", 1, body)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign("x".repeat(WebhookSigner.ID_CHARS_MAX + 1), 1, body))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign("msg 1", 1, body))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.sign("msg_1", -1, body))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretRoundTripsButNeverShowsInToStringOrParseErrors() {
    assertThat(SECRET.serialize()).isEqualTo(KnownAnswer.SECRET);
    assertThat(SECRET.toString()).doesNotContain("aG9y").doesNotContain("horae-known");

    String notBase64 = "whsec_s3cr3t!value";
    assertThatThrownBy(() -> WebhookSecret.parse(notBase64))
        .isInstanceOf(IllegalArgumentException.class)
        .hasNoCause()
        .message()
        .doesNotContain("s3cr3t")
        .doesNotContain("!");
  }

  @Test
  void refusesAnEmptyOrOversizedKey() {
    assertThatThrownBy(() -> WebhookSecret.parse("whsec_"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> WebhookSecret.ofKey(new byte[WebhookSecret.KEY_BYTES_MAX + 1]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
