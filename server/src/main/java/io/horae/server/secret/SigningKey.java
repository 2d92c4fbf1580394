package io.horae.server.secret;

/**
 * One opened signing key and until when it signs.
 *
 * @param key the raw HMAC key bytes; never logged
 * @param expiresMs 0 = current; else the key signs while the delivering node's clock is before it
 */
public record SigningKey(byte[] key, long expiresMs) {
  /** Whether this key still signs at {@code nowMs} (the delivering node's clock). */
  public boolean inForceAt(long nowMs) {
    return expiresMs == 0 || nowMs < expiresMs;
  }

  @Override
  public String toString() {
    return "SigningKey[redacted, expiresMs=" + expiresMs + "]";
  }
}
