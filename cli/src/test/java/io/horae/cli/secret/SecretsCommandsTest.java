package io.horae.cli.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.cli.Cli;
import io.horae.cli.Cli.Result;
import io.horae.cli.ClusterFixture;
import io.horae.server.secret.ClusterKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's secret handling against a real cluster with a key file: job create takes a signing
 * secret and secret headers and never prints them (table or JSON, create or get); secrets rotate
 * prints a generated secret once, labelled, and ls shows fingerprints only; keygen prints a key
 * file the server loads.
 */
class SecretsCommandsTest {
  static final String SIGNING = "whsec_" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
  static final String TOKEN = "Bearer cli-" + "tok-77aa88bb";
  static final String CUSTOM = "cli-" + "custom-55cc66dd";

  @RegisterExtension
  static final ClusterFixture FIXTURE =
      new ClusterFixture(1, Map.of("secrets.keyFile", keyFile().toString()));

  @TempDir Path tmp;

  static Path keyFile() {
    try {
      Path file = Files.createTempFile("horae-cli-test", ".key");
      file.toFile().deleteOnExit();
      Files.writeString(file, ClusterKey.generate(new SecureRandom()));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void assertNoSecrets(Result r) {
    assertThat(r.out() + r.err())
        .doesNotContain(SIGNING.substring(6))
        .doesNotContain(TOKEN)
        .doesNotContain(CUSTOM)
        .doesNotContain("enc:v1:");
  }

  @Test
  void jobCreateTakesSecretsAndNoOutputShowsThem() throws IOException {
    Path secretFile = tmp.resolve("s");
    Files.writeString(secretFile, SIGNING + "\n");
    Result created =
        FIXTURE.horae(
            "job",
            "create",
            "signed",
            "--url",
            "http://127.0.0.1:9/h",
            "--in",
            "1h",
            "--signing-secret",
            "@" + secretFile,
            "--header",
            "Authorization: " + TOKEN,
            "--secret-header",
            "X-Custom: " + CUSTOM);
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertNoSecrets(created);
    Result json = FIXTURE.horae("--output", "json", "job", "get", "signed");
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.out()).contains("\"hasSigningSecret\": true");
    assertNoSecrets(json);
    assertNoSecrets(FIXTURE.horae("job", "ls"));

    Job stored = FIXTURE.storedJob("default", "signed");
    assertThat(stored.getTarget().getHeadersList())
        .allSatisfy(h -> assertThat(h.getSecret()).isTrue())
        .extracting(Header::getValue)
        .containsOnly("");
  }

  @Test
  void rotateWithoutASecretPrintsTheGeneratedOneOnceAndLsShowsOnlyFingerprints() {
    Result rotated = FIXTURE.horae("--namespace", "cli", "secrets", "rotate");
    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    assertThat(rotated.out()).contains("shown only this once");
    String generated =
        rotated
            .out()
            .lines()
            .map(String::strip)
            .filter(l -> l.startsWith("whsec_"))
            .findFirst()
            .orElseThrow();

    Result ls = FIXTURE.horae("--namespace", "cli", "secrets", "ls");
    assertThat(ls.exitCode()).as(ls.err()).isZero();
    assertThat(ls.out()).contains("sk_").contains("current").doesNotContain(generated.substring(6));
  }

  @Test
  void rotateWithASecretFileNeverPrintsItAndKeepsThePreviousSecretForTheOverlap()
      throws IOException {
    Path file = tmp.resolve("next");
    Files.writeString(file, SIGNING);
    assertThat(FIXTURE.horae("--namespace", "file", "secrets", "rotate").exitCode()).isZero();
    Result rotated =
        FIXTURE.horae(
            "--namespace",
            "file",
            "secrets",
            "rotate",
            "--secret-file",
            file.toString(),
            "--overlap",
            "2h");
    assertThat(rotated.exitCode()).as(rotated.err()).isZero();
    assertNoSecrets(rotated);
    assertThat(rotated.out()).doesNotContain("shown only this once").contains("current");
    assertThat(
            FIXTURE
                .horae("--namespace", "file", "secrets", "ls")
                .out()
                .lines()
                .filter(l -> l.startsWith("sk_")))
        .hasSize(2);
  }

  @Test
  void aMalformedSigningSecretIsRefusedWithoutShowingIt() {
    Result r =
        FIXTURE.horae(
            "job",
            "create",
            "bad",
            "--url",
            "http://127.0.0.1:9/h",
            "--in",
            "1h",
            "--signing-secret",
            "whsec_" + "dG9vc2hvcnQ=");
    assertThat(r.exitCode()).isNotZero();
    assertThat(r.err()).contains("signing_secret").doesNotContain("dG9vc2hvcnQ");
  }

  @Test
  void keygenPrintsAKeyFileTheServerLoads() throws IOException {
    Result r = Cli.horae("secrets", "keygen");
    assertThat(r.exitCode()).isZero();
    Path file = tmp.resolve("k");
    Files.writeString(file, r.out());
    assertThat(ClusterKey.load(file).toString()).contains("keys=1");
    assertThat(Cli.horae("secrets", "keygen").out()).isNotEqualTo(r.out());
  }
}
