package io.horae.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client reads its PKCS#8 PEM key with the JDK alone, and names the file it cannot read. */
class PemKeyTest {
  @TempDir Path dir;

  private Path pem(String algorithm) throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded());
    return Files.writeString(
        dir.resolve(algorithm + ".pem"),
        "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"EC", "RSA", "Ed25519"})
  void readsAKeyOfEachAlgorithm(String algorithm) throws Exception {
    assertThat(PemKey.read(pem(algorithm)).getAlgorithm())
        .isEqualTo(algorithm.equals("Ed25519") ? "EdDSA" : algorithm);
  }

  @Test
  void aFileWithoutAPkcs8KeyIsRefusedNamingTheFile() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("rsa.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemKey.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("PKCS#8");
  }

  @Test
  void aDamagedKeyIsRefusedNamingTheFile() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("bad.pem"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

    assertThatThrownBy(() -> PemKey.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }
}
