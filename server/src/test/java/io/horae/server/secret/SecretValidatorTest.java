package io.horae.server.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.statemachine.core.schedule.Violation;
import io.horae.webhook.StandardWebhooks;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Edge checks of secrets: the accepted signing-secret form (whsec_ + base64 of 24..64 bytes), the
 * headers Horae signs with, and violations that never show the value; and the one redaction.
 */
class SecretValidatorTest {
  static List<Violation> check(Job job) {
    List<Violation> v = new ArrayList<>();
    SecretValidator.check(v, job);
    return v;
  }

  static String ofBytes(int n) {
    return StandardWebhooks.encodeSecret(new byte[n]);
  }

  @ParameterizedTest
  @ValueSource(ints = {24, 32, 64})
  void secretsOf24To64BytesAreAccepted(int bytes) {
    assertThat(check(Job.newBuilder().setSigningSecret(ofBytes(bytes)).build())).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "c2VjcmV0LXdpdGhvdXQtcHJlZml4LTAxMjM0NTY3",
        "whsec_not*base64!",
        "whsec_",
        "WHSEC_c2VjcmV0LXdpdGhvdXQtcHJlZml4LTAxMjM0NTY3"
      })
  void malformedSecretsAreRefusedNamingTheFieldButNotTheValue(String secret) {
    List<Violation> v = check(Job.newBuilder().setSigningSecret(secret).build());
    assertThat(v)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.field()).isEqualTo("job.signing_secret");
              assertThat(x.description()).contains("24 to 64");
              String tail = secret.substring(Math.min(6, secret.length()));
              if (!tail.isEmpty()) {
                assertThat(x.description()).doesNotContain(tail);
              }
            });
  }

  @Test
  void tooShortAndTooLongKeysAreRefused() {
    assertThat(check(Job.newBuilder().setSigningSecret(ofBytes(23)).build())).hasSize(1);
    assertThat(check(Job.newBuilder().setSigningSecret(ofBytes(65)).build())).hasSize(1);
  }

  @Test
  void aJobMayNotSetTheSignatureHeaders() {
    Job job =
        Job.newBuilder()
            .setTarget(
                Target.newBuilder()
                    .addHeaders(Header.newBuilder().setName("Webhook-Signature").setValue("v1,x")))
            .build();
    assertThat(check(job))
        .extracting(Violation::field)
        .containsExactly("job.target.headers[0].name");
  }

  @Test
  void redactionEmptiesSecretValuesAndKeepsPlainOnes() {
    Job job =
        Job.newBuilder()
            .setSigningSecret("enc:v1:k:abc")
            .setTarget(
                Target.newBuilder()
                    .addHeaders(Header.newBuilder().setName("cookie").setValue("enc:v1:k:c"))
                    .addHeaders(
                        Header.newBuilder()
                            .setName("X-Token")
                            .setValue("enc:v1:k:t")
                            .setSecret(true))
                    .addHeaders(Header.newBuilder().setName("X-Team").setValue("billing")))
            .build();
    Job r = JobRedaction.redact(job);
    assertThat(r.getSigningSecret()).isEmpty();
    assertThat(r.getHasSigningSecret()).isTrue();
    assertThat(r.getTarget().getHeadersList())
        .extracting(Header::getValue)
        .containsExactly("", "", "billing");
    assertThat(r.getTarget().getHeadersList())
        .extracting(Header::getSecret)
        .containsExactly(true, true, false);
  }
}
