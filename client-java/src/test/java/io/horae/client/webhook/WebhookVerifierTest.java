package io.horae.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.client.webhook.WebhookVerificationException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The verifier accepts the OpenSSL-computed {@link KnownAnswer} and rejects every tampered part,
 * timestamps just outside the tolerance, unknown secrets and malformed headers, with the right
 * {@link Reason} and without ever putting a secret in a message. Time comes from a settable clock.
 */
class WebhookVerifierTest {
  private static final Instant SIGNED_AT = Instant.ofEpochSecond(KnownAnswer.TIMESTAMP_SECONDS);
  private static final String TS = String.valueOf(KnownAnswer.TIMESTAMP_SECONDS);

  private final SettableClock clock = new SettableClock(SIGNED_AT);
  private final WebhookVerifier verifier =
      WebhookVerifier.builder().secret(KnownAnswer.SECRET).clock(clock).build();

  @Test
  void acceptsTheKnownAnswer() {
    assertThatCode(
            () -> verifier.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsHeadersWhateverTheirCase() {
    Map<String, List<String>> headers =
        Map.of(
            "Webhook-Id", List.of(KnownAnswer.ID),
            "WEBHOOK-TIMESTAMP", List.of(TS),
            "webhook-signature", List.of(KnownAnswer.SIGNATURE));

    assertThatCode(() -> verifier.verify(headers, KnownAnswer.BODY)).doesNotThrowAnyException();
  }

  @Test
  void rejectsATamperedBody() {
    byte[] body = Arrays.copyOf(KnownAnswer.BODY, KnownAnswer.BODY.length);
    body[2] ^= 1;

    assertRejected(
        () -> verifier.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, body),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void rejectsATamperedIdOrTimestamp() {
    assertRejected(
        () -> verifier.verify(KnownAnswer.ID + "x", TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY),
        Reason.NO_MATCHING_SIGNATURE);

    String oneSecondLater = String.valueOf(KnownAnswer.TIMESTAMP_SECONDS + 1);
    assertRejected(
        () ->
            verifier.verify(
                KnownAnswer.ID, oneSecondLater, KnownAnswer.SIGNATURE, KnownAnswer.BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void rejectsATamperedOrNonCanonicalSignature() {
    String flipped = KnownAnswer.SIGNATURE.replace("mU1W", "mU1X");
    assertRejected(
        () -> verifier.verify(KnownAnswer.ID, TS, flipped, KnownAnswer.BODY),
        Reason.NO_MATCHING_SIGNATURE);

    String unpadded = KnownAnswer.SIGNATURE.substring(0, KnownAnswer.SIGNATURE.length() - 1);
    assertRejected(
        () -> verifier.verify(KnownAnswer.ID, TS, unpadded, KnownAnswer.BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void ignoresOtherVersionsAndAcceptsAMatchAnywhereInTheList() {
    String header =
        "v1a,abc v2," + KnownAnswer.SIGNATURE.substring(3) + " v1,AAAA " + KnownAnswer.SIGNATURE;

    assertThatCode(() -> verifier.verify(KnownAnswer.ID, TS, header, KnownAnswer.BODY))
        .doesNotThrowAnyException();
    assertRejected(
        () ->
            verifier.verify(
                KnownAnswer.ID, TS, "v2," + KnownAnswer.SIGNATURE.substring(3), KnownAnswer.BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void acceptsTimestampsExactlyAtTheToleranceInBothDirections() {
    clock.set(SIGNED_AT.plus(WebhookVerifier.DEFAULT_TOLERANCE).plusMillis(999));
    assertThatCode(
            () -> verifier.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY))
        .doesNotThrowAnyException();

    clock.set(SIGNED_AT.minus(WebhookVerifier.DEFAULT_TOLERANCE));
    assertThatCode(
            () -> verifier.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsTimestampsOneSecondOutsideTheTolerance() {
    clock.set(SIGNED_AT.plus(WebhookVerifier.DEFAULT_TOLERANCE).plusSeconds(1));
    assertRejected(
        () -> verifier.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY),
        Reason.TIMESTAMP_TOO_OLD);

    clock.set(SIGNED_AT.minus(WebhookVerifier.DEFAULT_TOLERANCE).minusSeconds(1));
    assertRejected(
        () -> verifier.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY),
        Reason.TIMESTAMP_TOO_NEW);
  }

  @Test
  void honoursAConfiguredTolerance() {
    WebhookVerifier strict =
        WebhookVerifier.builder()
            .secret(KnownAnswer.SECRET)
            .tolerance(Duration.ofSeconds(30))
            .clock(clock)
            .build();
    clock.set(SIGNED_AT.plusSeconds(30));
    assertThatCode(() -> strict.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY))
        .doesNotThrowAnyException();

    clock.set(SIGNED_AT.plusSeconds(31));
    assertRejected(
        () -> strict.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY),
        Reason.TIMESTAMP_TOO_OLD);
    assertThatThrownBy(() -> WebhookVerifier.builder().tolerance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> WebhookVerifier.builder().tolerance(WebhookVerifier.TOLERANCE_MAX.plusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsEitherSecretDuringARotation() {
    WebhookVerifier rotating =
        WebhookVerifier.builder()
            .secret(KnownAnswer.SECRET)
            .secret(KnownAnswer.ROTATED_SECRET)
            .clock(clock)
            .build();

    for (String header :
        List.of(
            KnownAnswer.SIGNATURE,
            KnownAnswer.ROTATED_SIGNATURE,
            KnownAnswer.ROTATED_SIGNATURE + " " + KnownAnswer.SIGNATURE)) {
      assertThatCode(() -> rotating.verify(KnownAnswer.ID, TS, header, KnownAnswer.BODY))
          .doesNotThrowAnyException();
    }
    WebhookVerifier newOnly =
        WebhookVerifier.builder().secret(KnownAnswer.ROTATED_SECRET).clock(clock).build();
    assertRejected(
        () -> newOnly.verify(KnownAnswer.ID, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY),
        Reason.NO_MATCHING_SIGNATURE);
  }

  @Test
  void rejectsMissingHeadersNamingTheHeader() {
    assertRejected(
            () -> verifier.verify(null, TS, KnownAnswer.SIGNATURE, KnownAnswer.BODY),
            Reason.MISSING_HEADER)
        .hasMessageContaining(WebhookHeaders.ID);
    assertRejected(
            () -> verifier.verify(KnownAnswer.ID, " ", KnownAnswer.SIGNATURE, KnownAnswer.BODY),
            Reason.MISSING_HEADER)
        .hasMessageContaining(WebhookHeaders.TIMESTAMP);
    assertRejected(
            () ->
                verifier.verify(
                    Map.of("webhook-id", List.of(KnownAnswer.ID), "webhook-timestamp", List.of(TS)),
                    KnownAnswer.BODY),
            Reason.MISSING_HEADER)
        .hasMessageContaining(WebhookHeaders.SIGNATURE);
  }

  @Test
  void rejectsMalformedTimestampsAndRepeatedOrOversizedHeaders() {
    for (String bad : List.of("abc", "-5", "+1674087231", "1674087231.5", "1".repeat(19))) {
      assertRejected(
          () -> verifier.verify(KnownAnswer.ID, bad, KnownAnswer.SIGNATURE, KnownAnswer.BODY),
          Reason.MALFORMED_HEADER);
    }
    assertRejected(
        () ->
            verifier.verify(
                Map.of(
                    "webhook-id", List.of(KnownAnswer.ID),
                    "webhook-timestamp", List.of(TS, TS),
                    "webhook-signature", List.of(KnownAnswer.SIGNATURE)),
                KnownAnswer.BODY),
        Reason.MALFORMED_HEADER);
    String tooMany = (KnownAnswer.SIGNATURE + " ").repeat(WebhookVerifier.SIGNATURES_MAX + 1);
    assertRejected(
        () -> verifier.verify(KnownAnswer.ID, TS, tooMany, KnownAnswer.BODY),
        Reason.MALFORMED_HEADER);
    String tooLong = "v1," + "A".repeat(WebhookVerifier.SIGNATURE_HEADER_CHARS_MAX);
    assertRejected(
        () -> verifier.verify(KnownAnswer.ID, TS, tooLong, KnownAnswer.BODY),
        Reason.MALFORMED_HEADER);
  }

  @Test
  void neverPutsTheSecretInMessagesOrToString() {
    String secretBase64 = KnownAnswer.SECRET.substring("whsec_".length());
    List<Executable> failures =
        List.of(
            () -> verifier.verify(KnownAnswer.ID, TS, "v1,AAAA", KnownAnswer.BODY),
            () -> verifier.verify(KnownAnswer.ID, "x", KnownAnswer.SIGNATURE, KnownAnswer.BODY),
            () -> verifier.verify(KnownAnswer.ID, TS, null, KnownAnswer.BODY));
    for (Executable failure : failures) {
      assertThatThrownBy(failure::execute)
          .isInstanceOf(WebhookVerificationException.class)
          .message()
          .doesNotContain(secretBase64)
          .doesNotContain("horae-known-answer-key01")
          .doesNotContain(KnownAnswer.SIGNATURE.substring(3));
    }
    assertThat(verifier.toString()).doesNotContain(secretBase64).contains("secrets=1");
  }

  @Test
  void refusesToBuildWithoutASecret() {
    assertThatThrownBy(() -> WebhookVerifier.builder().build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable>
      assertRejected(Executable call, Reason reason) {
    return assertThatThrownBy(call::execute)
        .isInstanceOf(WebhookVerificationException.class)
        .satisfies(e -> assertThat(((WebhookVerificationException) e).reason()).isEqualTo(reason));
  }
}
