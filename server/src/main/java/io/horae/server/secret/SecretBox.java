package io.horae.server.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secret values with the cluster key (AES-256-GCM). A sealed value reads {@code
 * enc:v1:<key id>:<base64(nonce | ciphertext | tag)>}; the key id lets the cluster key be rotated.
 * The caller's context (e.g. {@code ns/job#signing_secret}) is bound as associated data, so a
 * sealed value copied to another job or field does not open.
 *
 * <p>Sealing draws a random nonce, so it runs on the proposing node, never in apply. Thread-safe.
 */
public final class SecretBox {
  public static final String PREFIX = "enc:v1:";
  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;

  private final ClusterKey key;
  private final SecureRandom random;

  public SecretBox(ClusterKey key, SecureRandom random) {
    this.key = key;
    this.random = random;
  }

  /** True if the value has the sealed form (it may still fail to open). */
  public static boolean isSealed(String value) {
    return value.startsWith(PREFIX);
  }

  /** Seals a plaintext under the current cluster key, bound to the context. */
  public String seal(String plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    String keyId = key.currentId();
    byte[] sealed =
        crypt(
            Cipher.ENCRYPT_MODE,
            key.current(),
            nonce,
            keyId,
            context,
            plaintext.getBytes(StandardCharsets.UTF_8));
    ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
    return PREFIX + keyId + ":" + Base64.getEncoder().encodeToString(out.array());
  }

  /**
   * Opens a sealed value.
   *
   * @throws SecretException if it is malformed, sealed with an unknown key or for another context,
   *     or was tampered with; the message holds no part of the value
   */
  public String open(String sealed, String context) {
    if (!isSealed(sealed)) {
      throw new SecretException("a stored secret of " + context + " is not sealed");
    }
    int colon = sealed.indexOf(':', PREFIX.length());
    String keyId = colon < 0 ? "" : sealed.substring(PREFIX.length(), colon);
    byte[] k = key.byId(keyId);
    if (k == null) {
      throw new SecretException(
          "a secret of "
              + context
              + " is sealed with cluster key '"
              + keyId
              + "', which the key file lacks");
    }
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(sealed.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new SecretException("a sealed secret of " + context + " is not base64");
    }
    if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new SecretException("a sealed secret of " + context + " is too short");
    }
    byte[] nonce = java.util.Arrays.copyOf(raw, NONCE_BYTES);
    byte[] body = java.util.Arrays.copyOfRange(raw, NONCE_BYTES, raw.length);
    return new String(
        crypt(Cipher.DECRYPT_MODE, k, nonce, keyId, context, body), StandardCharsets.UTF_8);
  }

  private static byte[] crypt(
      int mode, byte[] key, byte[] nonce, String keyId, String context, byte[] in) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD((PREFIX + keyId + "|" + context).getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(in);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new SecretException(
          "a sealed secret of "
              + context
              + " does not open: wrong cluster key, another job's value, or tampered");
    } catch (GeneralSecurityException e) {
      // AES-GCM ships with every JDK; a failure here is a broken runtime, not bad input.
      throw new IllegalStateException("AES/GCM failed", e);
    }
  }
}
