package io.horae.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AES-256-GCM sealing with the cluster key file: a round trip, the binding to its context, key
 * rotation by key id, and errors that never show key or plaintext.
 */
class SecretBoxTest {
  @TempDir Path tmp;

  SecretBox box(String content) throws IOException {
    Path file = tmp.resolve("k" + content.hashCode());
    Files.writeString(file, content);
    return new SecretBox(ClusterKey.load(file), new SecureRandom());
  }

  @Test
  void aSealedValueOpensUnderItsContextAndHoldsNoPlaintext() throws IOException {
    SecretBox box = box(ClusterKey.generate(new SecureRandom()));
    String sealed = box.seal("Bearer top-secret", "ns/job#header:authorization");
    assertThat(sealed).startsWith("enc:v1:").doesNotContain("top-secret");
    assertThat(box.seal("Bearer top-secret", "ns/job#header:authorization"))
        .as("fresh nonce")
        .isNotEqualTo(sealed);
    assertThat(box.open(sealed, "ns/job#header:authorization")).isEqualTo("Bearer top-secret");
  }

  @Test
  void aValueMovedToAnotherJobOrTamperedWithDoesNotOpen() throws IOException {
    SecretBox box = box(ClusterKey.generate(new SecureRandom()));
    String sealed = box.seal("Bearer top-secret", "ns/a#header:authorization");
    Throwable moved = catchThrowable(() -> box.open(sealed, "ns/b#header:authorization"));
    assertThat(moved).isInstanceOf(SecretException.class);
    assertThat(moved.getMessage()).doesNotContain("top-secret");
    char last = sealed.charAt(sealed.length() - 3);
    String tampered =
        sealed.substring(0, sealed.length() - 3)
            + (last == 'A' ? 'B' : 'A')
            + sealed.substring(sealed.length() - 2);
    assertThatThrownBy(() -> box.open(tampered, "ns/a#header:authorization"))
        .isInstanceOf(SecretException.class);
  }

  @Test
  void aNewKeyFirstSealsWhileTheOldKeyStillOpensWhatItSealed() throws IOException {
    String oldFile = ClusterKey.generate(new SecureRandom());
    String sealedOld = box(oldFile).seal("v", "c");
    String oldLine = oldFile.lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
    String newLine =
        ClusterKey.generate(new SecureRandom())
            .lines()
            .filter(l -> !l.startsWith("#"))
            .findFirst()
            .orElseThrow();
    SecretBox rotated = box(newLine + "\n" + oldLine + "\n");
    assertThat(rotated.open(sealedOld, "c")).isEqualTo("v");
    assertThat(rotated.seal("v", "c"))
        .startsWith("enc:v1:" + newLine.substring(0, newLine.indexOf(':')) + ":");
    assertThatThrownBy(() -> box(ClusterKey.generate(new SecureRandom())).open(sealedOld, "c"))
        .isInstanceOf(SecretException.class)
        .hasMessageContaining("key file lacks");
  }

  @Test
  void aMalformedKeyFileNamesTheLineButNotItsContent() throws IOException {
    Path file = tmp.resolve("bad.key");
    Files.writeString(file, "# comment\nab12:c2hvcnQta2V5\n");
    Throwable e = catchThrowable(() -> ClusterKey.load(file));
    assertThat(e)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("horae secrets keygen");
    assertThat(e.getMessage()).doesNotContain("c2hvcnQta2V5");
  }

  @Test
  void aMissingKeyFileStopsTheNodeNamingTheConfigKeyAndNoKeyMeansNoBox() throws IOException {
    Path missing = tmp.resolve("absent.key");
    Throwable e =
        catchThrowable(
            () ->
                NodeSecrets.load(
                    new io.horae.server.config.SecretsConfig(
                        missing.toString(), java.time.Duration.ofHours(1))));
    assertThat(e)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("secrets.keyFile=")
        .hasMessageContaining("absent.key");
    assertThat(NodeSecrets.load(io.horae.server.config.SecretsConfig.DEFAULTS).box()).isEmpty();
  }
}
