package io.horae.server.secret;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names a secret without revealing it: {@code sk_} + 12 hex digits of its key's SHA-256. */
public final class Fingerprints {
  static final int HEX_DIGITS = 12;

  private Fingerprints() {}

  public static String of(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return "sk_" + HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
