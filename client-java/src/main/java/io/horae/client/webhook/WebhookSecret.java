package io.horae.client.webhook;

import io.horae.webhook.StandardWebhooks;
import java.util.Objects;

/**
 * An HMAC-SHA256 key for webhook signatures, written as {@code whsec_<base64 key>}.
 *
 * <p>The key never appears in {@link #toString()} or in exception messages. Instances are immutable
 * and safe to share between threads.
 */
public final class WebhookSecret {
  /** The prefix of the serialized form. */
  public static final String PREFIX = StandardWebhooks.SECRET_PREFIX;

  /**
   * The largest key accepted. The spec recommends 24 to 64 bytes; longer keys add nothing to
   * HMAC-SHA256 (they are hashed down to 32 bytes) and only cost memory.
   */
  public static final int KEY_BYTES_MAX = 256;

  private final byte[] key;

  private WebhookSecret(byte[] key) {
    if (key.length == 0 || key.length > KEY_BYTES_MAX) {
      throw new IllegalArgumentException(
          "webhook secret key must be 1.." + KEY_BYTES_MAX + " bytes, was " + key.length);
    }
    this.key = key;
  }

  /**
   * Parses {@code whsec_<base64 key>}; the prefix may be left out, as the reference libraries
   * allow.
   *
   * @param secret the serialized secret
   * @return the secret
   * @throws IllegalArgumentException if the text is not base64 or the key is empty or longer than
   *     {@link #KEY_BYTES_MAX}; the message does not repeat the text
   */
  public static WebhookSecret parse(String secret) {
    Objects.requireNonNull(secret, "secret");
    byte[] key = StandardWebhooks.decodeSecret(secret);
    return new WebhookSecret(key);
  }

  /**
   * Wraps raw key bytes.
   *
   * @param key the key; copied
   * @return the secret
   * @throws IllegalArgumentException if the key is empty or longer than {@link #KEY_BYTES_MAX}
   */
  public static WebhookSecret ofKey(byte[] key) {
    return new WebhookSecret(key.clone());
  }

  /** Returns the serialized form {@code whsec_<base64 key>}; treat it as a password. */
  public String serialize() {
    return StandardWebhooks.encodeSecret(key);
  }

  /** Returns a copy of the key bytes. */
  byte[] key() {
    return key.clone();
  }

  /** Says that this is a secret without revealing any of it. */
  @Override
  public String toString() {
    return "WebhookSecret[redacted]";
  }
}
