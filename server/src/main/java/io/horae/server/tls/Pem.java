package io.horae.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files of certificates and PKCS#8 private keys, read and written with the JDK only, so that a
 * node needs no certificate library to start ({@link PrivateFiles} writes them 0600).
 */
public final class Pem {
  /** PEM files of a CA and a chain are a few KiB; anything larger is not one. */
  static final long FILE_BYTES_MAX = 256 * 1024;

  private static final Pattern KEY_BLOCK =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private Pem() {}

  /** Every certificate in a PEM file, in file order. */
  public static List<X509Certificate> readCertificates(Path file) throws IOException {
    byte[] bytes = readBounded(file);
    try {
      List<X509Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))
              .stream()
              .map(c -> (X509Certificate) c)
              .toList();
      if (certs.isEmpty()) {
        throw new IOException(file + ": no certificate in the file");
      }
      return certs;
    } catch (CertificateException e) {
      throw new IOException(file + ": not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** The EC or RSA private key of a PKCS#8 PEM file ({@code BEGIN PRIVATE KEY}). */
  public static PrivateKey readPrivateKey(Path file) throws IOException {
    String text = new String(readBounded(file), StandardCharsets.US_ASCII);
    Matcher m = KEY_BLOCK.matcher(text);
    if (!m.find()) {
      // Never echo the content: it may be a key in another format.
      throw new IOException(
          file + ": no PKCS#8 private key (-----BEGIN PRIVATE KEY-----) in the file");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Try the next algorithm.
      }
    }
    throw new IOException(file + ": the private key is neither EC nor RSA");
  }

  /** PEM text of certificates, one block each. */
  public static String certificates(List<X509Certificate> certs) {
    StringBuilder b = new StringBuilder();
    for (X509Certificate c : certs) {
      try {
        b.append(block("CERTIFICATE", c.getEncoded()));
      } catch (CertificateException e) {
        throw new IllegalStateException("a certificate we hold does not encode", e);
      }
    }
    return b.toString();
  }

  /** PEM text of a private key in PKCS#8. */
  public static String privateKey(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] readBounded(Path file) throws IOException {
    long size = Files.size(file);
    if (size > FILE_BYTES_MAX) {
      throw new IOException(
          file + ": " + size + " bytes; a PEM file must be at most " + FILE_BYTES_MAX);
    }
    return Files.readAllBytes(file);
  }
}
