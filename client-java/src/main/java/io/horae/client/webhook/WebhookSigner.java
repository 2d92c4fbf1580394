package io.horae.client.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes the {@code webhook-signature} header value of the Standard Webhooks scheme: for each
 * secret, {@code v1,} followed by the base64 HMAC-SHA256 of {@code id + "." + timestamp + "." +
 * body}, entries separated by one space.
 *
 * <p>Several secrets support key rotation: during the overlap the sender signs with the old and the
 * new secret, and a receiver that knows either accepts the delivery.
 *
 * <p>Pure: no clock, no I/O; the caller passes the timestamp. Instances are immutable and safe to
 * share between threads.
 */
public final class WebhookSigner {
  /** The most secrets one signer signs with; two cover a rotation, the rest is headroom. */
  public static final int SECRETS_MAX = 8;

  /** The longest {@code webhook-id} accepted, in characters. */
  public static final int ID_CHARS_MAX = 256;

  /** The version tag of HMAC-SHA256 signatures. */
  static final String VERSION_V1 = "v1";

  private static final String HMAC_SHA256 = "HmacSHA256";

  private final List<WebhookSecret> secrets;

  /**
   * Creates a signer.
   *
   * @param secrets one to {@link #SECRETS_MAX} secrets, newest first by convention
   * @throws IllegalArgumentException if there are none or too many
   */
  public WebhookSigner(List<WebhookSecret> secrets) {
    this.secrets = List.copyOf(secrets);
    if (this.secrets.isEmpty() || this.secrets.size() > SECRETS_MAX) {
      throw new IllegalArgumentException(
          "a webhook signer needs 1.." + SECRETS_MAX + " secrets, got " + this.secrets.size());
    }
  }

  /**
   * Signs one delivery.
   *
   * @param id the {@code webhook-id}: 1 to {@link #ID_CHARS_MAX} characters, no whitespace
   * @param timestampSeconds the {@code webhook-timestamp} in Unix seconds, not negative
   * @param body the exact request body bytes
   * @return the {@code webhook-signature} header value, one {@code v1,} entry per secret in the
   *     order the secrets were given
   * @throws IllegalArgumentException if the id or timestamp is out of range
   */
  public String sign(String id, long timestampSeconds, byte[] body) {
    checkId(id);
    if (timestampSeconds < 0) {
      throw new IllegalArgumentException(
          "webhook timestamp must be >= 0 Unix seconds, was " + timestampSeconds);
    }
    Objects.requireNonNull(body, "body");
    List<String> entries = new ArrayList<>(secrets.size());
    for (WebhookSecret secret : secrets) {
      entries.add(VERSION_V1 + "," + base64Signature(secret, id, timestampSeconds, body));
    }
    return String.join(" ", entries);
  }

  /**
   * Checks a {@code webhook-id}. Whitespace is refused because it would make the header ambiguous
   * for intermediaries that fold or trim header values.
   */
  static void checkId(String id) {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty() || id.length() > ID_CHARS_MAX) {
      throw new IllegalArgumentException(
          "webhook id must be 1.." + ID_CHARS_MAX + " characters, was " + id.length());
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isWhitespace(id.charAt(i)) || Character.isISOControl(id.charAt(i))) {
        throw new IllegalArgumentException("webhook id must not contain whitespace: " + id);
      }
    }
  }

  /** Returns the base64 HMAC-SHA256 of {@code id.timestamp.body} under the secret. */
  static String base64Signature(
      WebhookSecret secret, String id, long timestampSeconds, byte[] body) {
    Mac mac = newMac(secret);
    mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  private static Mac newMac(WebhookSecret secret) {
    try {
      // A Mac holds state, so each signature gets its own; creating one is cheap.
      Mac mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(secret.key(), HMAC_SHA256));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every JDK ships HmacSHA256 and accepts any non-empty key: this is a broken runtime.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
