package io.horae.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature primitive of the Standard Webhooks scheme, in one place for the server (which signs
 * deliveries) and the Java client (which signs and verifies). Pure: no clock, no I/O. Thread-safe.
 */
public final class StandardWebhooks {
  /** Prefix of a serialized secret: {@code whsec_<base64 key>}. */
  public static final String SECRET_PREFIX = "whsec_";

  /** The version tag of HMAC-SHA256 signatures. */
  public static final String VERSION_V1 = "v1";

  private static final String HMAC_SHA256 = "HmacSHA256";

  private StandardWebhooks() {}

  /**
   * Returns the base64 HMAC-SHA256 of {@code id + "." + timestampSeconds + "." + body} under the
   * key: one {@code v1,} entry of {@code webhook-signature} without its prefix.
   *
   * @param key the raw secret bytes, not empty
   * @param id the {@code webhook-id}
   * @param timestampSeconds the {@code webhook-timestamp} in Unix seconds
   * @param body the exact body bytes
   */
  public static String base64Signature(byte[] key, String id, long timestampSeconds, byte[] body) {
    Mac mac;
    try {
      // A Mac holds state, so each signature gets its own; creating one is cheap.
      mac = Mac.getInstance(HMAC_SHA256);
      mac.init(new SecretKeySpec(key, HMAC_SHA256));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      // Every JDK ships HmacSHA256 and accepts any non-empty key: this is a broken runtime.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
    mac.update((id + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  /**
   * Decodes {@code whsec_<base64>} (the prefix may be left out, as the reference libraries allow).
   *
   * @throws IllegalArgumentException if the text is not base64; the message never repeats the text
   */
  public static byte[] decodeSecret(String secret) {
    String encoded =
        secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // The decoder's message quotes an offending character of the secret; do not pass it on.
      throw new IllegalArgumentException(
          "webhook secret must be \"" + SECRET_PREFIX + "\" followed by base64", null);
    }
  }

  /** Serializes raw key bytes as {@code whsec_<base64>}; treat the result as a password. */
  public static String encodeSecret(byte[] key) {
    return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
  }
}
