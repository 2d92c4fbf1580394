package io.horae.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.client.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our signer and verifier against the reference npm library {@code standardwebhooks} (version
 * pinned in {@code src/test/js/package-lock.json}), run in a real node process: each side accepts
 * what the other signs, both reject the same forgeries, and both compute the same bytes.
 *
 * <p>The library's verify reads the real clock, so deliveries here are stamped with the real "now";
 * a one-second race at a second boundary is harmless against a five-minute tolerance.
 */
class WebhookNpmCrossCheckTest {
  private static final String OLD_SECRET = KnownAnswer.SECRET;
  private static final String NEW_SECRET = KnownAnswer.ROTATED_SECRET;
  private static final String UNKNOWN_SECRET = "whsec_" + "dW5rbm93bi1rZXktb2YtYW5vdGhlcg==";
  private static final String ID = "exec_01JD5Q2V8Z7Y";

  private static final List<byte[]> BODIES =
      List.of(
          new byte[0],
          "{\"job\":\"nightly\",\"attempt\":3}".getBytes(StandardCharsets.UTF_8),
          "{\"note\":\"gr\u00fc\u00dfe \u65e5\u672c \ud83d\ude80\",\"text\":\"a.b.c\\n\"}"
              .getBytes(StandardCharsets.UTF_8),
          "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8));

  @Test
  void npmSignsTheKnownAnswerExactlyAsOpenSslAndWeDo() throws Exception {
    List<String> answers =
        new NodeCrossCheck()
            .sign(
                KnownAnswer.SECRET, KnownAnswer.ID, KnownAnswer.TIMESTAMP_SECONDS, KnownAnswer.BODY)
            .run();

    assertThat(NodeCrossCheck.field(answers.get(0), "signature")).isEqualTo(KnownAnswer.SIGNATURE);
  }

  @Test
  void npmComputesTheSameSignatureAsOurSignerForEveryBody() throws Exception {
    long now = Instant.now().getEpochSecond();
    NodeCrossCheck node = new NodeCrossCheck();
    for (byte[] body : BODIES) {
      node.sign(NEW_SECRET, ID, now, body);
    }

    List<String> answers = node.run();

    WebhookSigner ours = new WebhookSigner(List.of(WebhookSecret.parse(NEW_SECRET)));
    for (int i = 0; i < BODIES.size(); i++) {
      assertThat(NodeCrossCheck.field(answers.get(i), "signature"))
          .as("body %d", i)
          .isEqualTo(ours.sign(ID, now, BODIES.get(i)));
    }
  }

  @Test
  void npmAcceptsWhatWeSignWithEitherSecretOfARotationAndRejectsForgeries() throws Exception {
    long now = Instant.now().getEpochSecond();
    WebhookSigner rotating =
        new WebhookSigner(
            List.of(WebhookSecret.parse(NEW_SECRET), WebhookSecret.parse(OLD_SECRET)));
    byte[] body = BODIES.get(2);
    Map<String, String> headers = headers(ID, now, rotating.sign(ID, now, body));
    byte[] tampered = body.clone();
    tampered[3] ^= 1;
    long tooOld = now - 3600;
    Map<String, String> stale = headers(ID, tooOld, rotating.sign(ID, tooOld, body));

    List<String> answers =
        new NodeCrossCheck()
            .verify(OLD_SECRET, headers, body)
            .verify(NEW_SECRET, headers, body)
            .verify(UNKNOWN_SECRET, headers, body)
            .verify(NEW_SECRET, headers, tampered)
            .verify(NEW_SECRET, headers(ID + "x", now, headers.get("webhook-signature")), body)
            .verify(NEW_SECRET, stale, body)
            .run();

    assertThat(answers.subList(0, 2)).allSatisfy(a -> assertThat(a).contains("\"ok\":true"));
    assertThat(answers.subList(2, 5))
        .allSatisfy(a -> assertThat(NodeCrossCheck.field(a, "error")).contains("No matching"));
    assertThat(NodeCrossCheck.field(answers.get(5), "error")).contains("too old");
  }

  @Test
  void weAcceptWhatNpmSignsAndRejectWhatItWouldReject() throws Exception {
    long now = Instant.now().getEpochSecond();
    NodeCrossCheck node = new NodeCrossCheck();
    for (byte[] body : BODIES) {
      node.sign(OLD_SECRET, ID, now, body);
    }
    List<String> answers = node.run();

    WebhookVerifier rotating =
        WebhookVerifier.builder().secret(NEW_SECRET).secret(OLD_SECRET).build();
    WebhookVerifier newOnly = WebhookVerifier.builder().secret(NEW_SECRET).build();
    for (int i = 0; i < BODIES.size(); i++) {
      byte[] body = BODIES.get(i);
      String signature = NodeCrossCheck.field(answers.get(i), "signature");
      String ts = String.valueOf(now);

      assertThatCode(() -> rotating.verify(ID, ts, signature, body))
          .as("body %d", i)
          .doesNotThrowAnyException();
      assertThatThrownBy(() -> newOnly.verify(ID, ts, signature, body))
          .isInstanceOf(WebhookVerificationException.class)
          .extracting(e -> ((WebhookVerificationException) e).reason())
          .isEqualTo(Reason.NO_MATCHING_SIGNATURE);
      byte[] tampered =
          (new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
      assertThatThrownBy(() -> rotating.verify(ID, ts, signature, tampered))
          .isInstanceOf(WebhookVerificationException.class);
    }
  }

  private static Map<String, String> headers(String id, long timestampSeconds, String signature) {
    return Map.of(
        WebhookHeaders.ID, id,
        WebhookHeaders.TIMESTAMP, String.valueOf(timestampSeconds),
        WebhookHeaders.SIGNATURE, signature);
  }
}
