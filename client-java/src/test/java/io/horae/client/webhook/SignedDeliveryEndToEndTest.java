package io.horae.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.horae.api.v1.Job;
import io.horae.api.v1.RotateSigningSecretRequest;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.client.AdminClients;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.MiniCluster;
import io.horae.server.cluster.Receiver;
import io.horae.server.secret.ClusterKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a real cluster with a key file delivers to a real receiver, and the receiver checks
 * what Horae signed with this library's WebhookVerifier and with the reference npm library
 * standardwebhooks, for a job's own secret and for both secrets of a namespace rotation.
 */
class SignedDeliveryEndToEndTest {
  static final String JOB_SECRET = KnownAnswer.SECRET;
  static final String OLD = "whsec_" + "b2xkLXNlY3JldC1vZi10aGUtbmFtZXNwYWNlLTAxMjM=";
  static final String NEW = KnownAnswer.ROTATED_SECRET;

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;
  static HoraeClient client;

  @BeforeAll
  static void start() throws Exception {
    Path key = tmp.resolve("cluster.key");
    Files.writeString(key, ClusterKey.generate(new SecureRandom()));
    cluster = MiniCluster.start(tmp.resolve("nodes"), 3, Map.of("secrets.keyFile", key.toString()));
    receiver = new Receiver();
    client = AdminClients.of(cluster).build();
    cluster.awaitLeases();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  static Job job(String ns, String name, String secret) {
    Job.Builder j =
        Job.newBuilder()
            .setNamespace(ns)
            .setName(name)
            .setSchedule(Schedule.newBuilder().setAfterMs(500))
            .setTarget(
                Target.newBuilder()
                    .setUrl(receiver.url("/" + name))
                    .setBody(
                        ByteString.copyFromUtf8(
                            "{\"job\":\"" + name + "\",\"note\":\"gr\u00fc\u00dfe\"}")));
    return secret == null ? j.build() : j.setSigningSecret(secret).build();
  }

  static Receiver.Request delivery(String ns, String name) {
    String prefix = ns + "/" + name + "@";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                receiver.requests().stream()
                    .anyMatch(r -> String.valueOf(r.header("webhook-id")).startsWith(prefix)));
    return receiver.requests().stream()
        .filter(r -> String.valueOf(r.header("webhook-id")).startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  static Map<String, String> webhookHeaders(Receiver.Request r) {
    return Map.of(
        WebhookHeaders.ID, r.header("webhook-id"),
        WebhookHeaders.TIMESTAMP, r.header("webhook-timestamp"),
        WebhookHeaders.SIGNATURE, r.header("webhook-signature"));
  }

  static void verify(String secret, Receiver.Request r) {
    WebhookVerifier.builder()
        .secret(secret)
        .build()
        .verify(
            r.header("webhook-id"),
            r.header("webhook-timestamp"),
            r.header("webhook-signature"),
            r.body());
  }

  @Test
  void aDeliveryOfAJobWithASigningSecretVerifiesHereAndWithTheNpmLibrary() throws Exception {
    assertThat(client.create(job("default", "e2e-signed", JOB_SECRET)).getHasSigningSecret())
        .isTrue();
    Receiver.Request r = delivery("default", "e2e-signed");

    assertThatCode(() -> verify(JOB_SECRET, r)).doesNotThrowAnyException();
    assertThatThrownBy(() -> verify(OLD, r)).isInstanceOf(WebhookVerificationException.class);
    byte[] tampered =
        (new String(r.body(), StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
    List<String> npm =
        new NodeCrossCheck()
            .verify(JOB_SECRET, webhookHeaders(r), r.body())
            .verify(JOB_SECRET, webhookHeaders(r), tampered)
            .run();
    assertThat(npm.get(0)).contains("\"ok\":true");
    assertThat(NodeCrossCheck.field(npm.get(1), "error")).contains("No matching");
  }

  @Test
  void duringARotationEachSecretVerifiesTheSameDeliveryHereAndWithTheNpmLibrary() throws Exception {
    client
        .secrets()
        .rotate(
            RotateSigningSecretRequest.newBuilder().setNamespace("e2e").setNewSecret(OLD).build());
    client
        .secrets()
        .rotate(
            RotateSigningSecretRequest.newBuilder()
                .setNamespace("e2e")
                .setNewSecret(NEW)
                .setOverlapMs(3_600_000)
                .build());
    client.create(job("e2e", "rotating", null));
    Receiver.Request r = delivery("e2e", "rotating");

    assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
    assertThatCode(() -> verify(OLD, r)).doesNotThrowAnyException();
    assertThatCode(() -> verify(NEW, r)).doesNotThrowAnyException();
    List<String> npm =
        new NodeCrossCheck()
            .verify(OLD, webhookHeaders(r), r.body())
            .verify(NEW, webhookHeaders(r), r.body())
            .run();
    assertThat(npm).allSatisfy(a -> assertThat(a).contains("\"ok\":true"));
  }
}
