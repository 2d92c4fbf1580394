package io.horae.client.webhook;

import io.horae.webhook.StandardWebhooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
  static final String VERSION_V1 = StandardWebhooks.VERSION_V1;

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
    return StandardWebhooks.base64Signature(secret.key(), id, timestampSeconds, body);
  }
}
