package io.horae.client.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an unencrypted PKCS#8 PEM private key with the JDK alone. Netty's file-based key loading
 * first probes for BouncyCastle and, when it is on the class path (the horae command ships it for
 * the server), loads some 700 classes from a signed jar, which a class-data archive cannot hold:
 * about half a second of every CLI call.
 */
final class PemKey {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  /**
   * The key algorithms tried in turn; the PKCS#8 header names the algorithm, the JDK wants it
   * given.
   */
  private static final List<String> ALGORITHMS = List.of("EC", "RSA", "Ed25519", "Ed448");

  private PemKey() {}

  /**
   * Returns the key in {@code file}.
   *
   * @throws IllegalArgumentException naming the file when it holds no PKCS#8 key of a known
   *     algorithm
   * @throws IOException when the file cannot be read
   */
  static PrivateKey read(Path file) throws IOException {
    Matcher m = BLOCK.matcher(Files.readString(file, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new IllegalArgumentException(
          "client key "
              + file
              + " holds no unencrypted PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----)");
    }
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Not this algorithm: try the next.
      }
    }
    throw new IllegalArgumentException(
        "client key " + file + " is not an " + String.join(", ", ALGORITHMS) + " PKCS#8 key");
  }
}
