package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListSigningSecretsRequest;
import io.horae.api.v1.RotateSigningSecretRequest;
import io.horae.api.v1.RotateSigningSecretResponse;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.SecretServiceGrpc;
import io.horae.api.v1.Target;
import io.horae.server.secret.ClusterKey;
import io.horae.webhook.StandardWebhooks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Signed deliveries and secrets at rest on a real 3-node cluster with a cluster key: deliveries
 * carry Standard Webhooks headers whose signatures check against the job's or namespace's secrets
 * (two during a rotation's overlap, one after); reads never return a secret; and no node's data
 * directory (RocksDB, Raft log) holds a secret's plaintext, while a plain header value is found
 * there, which shows the search itself works. The error paths hold none either: a header value
 * refused at the edge is not echoed, and a delivery the target guard refuses (denied.test maps to
 * ::1, outside the cluster's allowlist) is dead-lettered without one. Last, no log line of the run
 * holds a secret.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SigningSecretsTest {
  static final String JOB_SECRET = secret(1);
  static final String AUTH = "Bearer tok-" + "a1b2c3d4e5f6a7b8";
  static final String CUSTOM = "custom-" + "9f8e7d6c5b4a";
  static final String PLAIN = "plain-" + "marker-5c4b3a";

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;
  static JobServiceGrpc.JobServiceBlockingStub jobs;
  static SecretServiceGrpc.SecretServiceBlockingStub secrets;

  /** Every log event of the JVM while this class runs, to check that no secret is logged. */
  static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    Path keyFile = tmp.resolve("cluster.key");
    Files.writeString(keyFile, ClusterKey.generate(new SecureRandom()));
    cluster =
        MiniCluster.start(
            tmp.resolve("nodes"),
            3,
            Map.of("secrets.keyFile", keyFile.toString(), "secrets.rotationOverlap", "1h"),
            new LoopbackNames(Map.of("denied.test", List.of("::1"))));
    receiver = new Receiver();
    jobs = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.follower().id()));
    secrets = SecretServiceGrpc.newBlockingStub(cluster.channel(cluster.follower().id()));
    cluster.awaitLeases();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    if (receiver != null) {
      receiver.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A deterministic "whsec_" secret of 32 bytes, distinct per seed. */
  static String secret(int seed) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) (seed * 7 + 3));
    key[0] = (byte) seed;
    return StandardWebhooks.encodeSecret(key);
  }

  static Job.Builder job(String ns, String name, long inMs) {
    return Job.newBuilder()
        .setNamespace(ns)
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAtMs(System.currentTimeMillis() + inMs))
        .setTarget(
            Target.newBuilder()
                .setUrl(receiver.url("/" + ns + "/" + name))
                .setBody(ByteString.copyFromUtf8("{\"n\":\"" + name + "\"}")));
  }

  static Receiver.Request awaitRequest(String ns, String name) {
    String id = ns + "/" + name + "@";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> receiver.requests().stream().anyMatch(r -> id(r).startsWith(id)));
    return receiver.requests().stream().filter(r -> id(r).startsWith(id)).findFirst().orElseThrow();
  }

  static String id(Receiver.Request r) {
    return r.header("webhook-id") == null ? "" : r.header("webhook-id");
  }

  /** The signature entries of a request, each checked against exactly one of the secrets. */
  static List<String> signatures(Receiver.Request r) {
    return r.header("webhook-signature") == null
        ? List.of()
        : List.of(r.header("webhook-signature").split(" "));
  }

  static String expected(String secret, Receiver.Request r) {
    long ts = Long.parseLong(r.header("webhook-timestamp"));
    return "v1,"
        + StandardWebhooks.base64Signature(
            StandardWebhooks.decodeSecret(secret), id(r), ts, r.body());
  }

  @Test
  void aJobWithASigningSecretAndSecretHeadersIsDeliveredSignedWithTheHeadersOpened() {
    Job created =
        jobs.createJob(
            CreateJobRequest.newBuilder()
                .setJob(
                    job("default", "signed", 1_000)
                        .setSigningSecret(JOB_SECRET)
                        .setTarget(
                            job("default", "signed", 0)
                                .getTargetBuilder()
                                .addHeaders(
                                    Header.newBuilder().setName("Authorization").setValue(AUTH))
                                .addHeaders(
                                    Header.newBuilder()
                                        .setName("X-Custom")
                                        .setValue(CUSTOM)
                                        .setSecret(true))
                                .addHeaders(
                                    Header.newBuilder().setName("X-Plain").setValue(PLAIN))))
                .build());
    assertRedacted(created);

    Receiver.Request r = awaitRequest("default", "signed");
    assertThat(r.header("authorization")).isEqualTo(AUTH);
    assertThat(r.header("x-custom")).isEqualTo(CUSTOM);
    assertThat(r.header("x-plain")).isEqualTo(PLAIN);
    assertThat(Long.parseLong(r.header("webhook-timestamp")))
        .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(30L));
    assertThat(signatures(r)).containsExactly(expected(JOB_SECRET, r));

    assertRedacted(jobs.getJob(GetJobRequest.newBuilder().setName("signed").build()));
    assertThat(jobs.listJobs(ListJobsRequest.newBuilder().build()).getJobsList())
        .isNotEmpty()
        .allSatisfy(SigningSecretsTest::assertRedacted);
  }

  @Test
  void aJobWithoutSecretsStillGetsAWebhookIdAndTimestampButNoSignature() {
    jobs.createJob(CreateJobRequest.newBuilder().setJob(job("plainns", "unsigned", 500)).build());
    Receiver.Request r = awaitRequest("plainns", "unsigned");
    assertThat(r.header("webhook-timestamp")).matches("[0-9]+");
    assertThat(r.header("webhook-signature")).isNull();
  }

  @Test
  void afterARotationBothSecretsSignDuringTheOverlapAndOnlyTheNewOneAfterIt() {
    String first = secret(2);
    String second = secret(3);
    secrets.rotateSigningSecret(
        RotateSigningSecretRequest.newBuilder().setNamespace("rot").setNewSecret(first).build());
    RotateSigningSecretResponse rotated =
        secrets.rotateSigningSecret(
            RotateSigningSecretRequest.newBuilder()
                .setNamespace("rot")
                .setNewSecret(second)
                .setOverlapMs(3_000)
                .build());
    assertThat(rotated.getGeneratedSecret()).isEmpty();
    assertThat(rotated.toString())
        .doesNotContain(first.substring(6))
        .doesNotContain(second.substring(6));
    assertThat(rotated.getSecretsList()).hasSize(2);
    assertThat(rotated.getSecrets(0).getExpiresMs()).isZero();
    assertThat(rotated.getSecrets(1).getExpiresMs()).isPositive();

    jobs.createJob(CreateJobRequest.newBuilder().setJob(job("rot", "during", 500)).build());
    jobs.createJob(CreateJobRequest.newBuilder().setJob(job("rot", "after", 5_000)).build());

    Receiver.Request during = awaitRequest("rot", "during");
    assertThat(signatures(during))
        .containsExactly(expected(second, during), expected(first, during));
    Receiver.Request after = awaitRequest("rot", "after");
    assertThat(signatures(after)).containsExactly(expected(second, after));

    assertThat(
            secrets
                .listSigningSecrets(
                    ListSigningSecretsRequest.newBuilder().setNamespace("rot").build())
                .getSecretsList())
        .extracting(i -> i.getId())
        .containsExactly(rotated.getSecrets(0).getId(), rotated.getSecrets(1).getId());
  }

  @Test
  void aJobsOwnSecretsTakePrecedenceOverItsNamespacesAndRotateWithTheCreateTimeSecretInOverlap() {
    String namespaceSecret = secret(4);
    String own = secret(5);
    String ownNext = secret(6);
    secrets.rotateSigningSecret(
        RotateSigningSecretRequest.newBuilder()
            .setNamespace("prec")
            .setNewSecret(namespaceSecret)
            .build());
    jobs.createJob(
        CreateJobRequest.newBuilder()
            .setJob(job("prec", "own", 2_500).setSigningSecret(own))
            .build());
    jobs.createJob(CreateJobRequest.newBuilder().setJob(job("prec", "inherits", 500)).build());
    RotateSigningSecretResponse r =
        secrets.rotateSigningSecret(
            RotateSigningSecretRequest.newBuilder()
                .setNamespace("prec")
                .setJobName("own")
                .setNewSecret(ownNext)
                .build());
    assertThat(r.getSecretsList()).hasSize(2);
    assertThat(r.getSecrets(1).getId()).startsWith("sk_");

    Receiver.Request inherits = awaitRequest("prec", "inherits");
    assertThat(signatures(inherits)).containsExactly(expected(namespaceSecret, inherits));
    Receiver.Request ownDelivery = awaitRequest("prec", "own");
    assertThat(signatures(ownDelivery))
        .containsExactly(expected(ownNext, ownDelivery), expected(own, ownDelivery));
  }

  @Test
  void aRotationWithoutASecretGeneratesOneAndReturnsItOnlyThen() {
    RotateSigningSecretResponse r =
        secrets.rotateSigningSecret(
            RotateSigningSecretRequest.newBuilder().setNamespace("gen").build());
    assertThat(r.getGeneratedSecret()).startsWith("whsec_");
    assertThat(StandardWebhooks.decodeSecret(r.getGeneratedSecret())).hasSize(32);
    String listed =
        secrets
            .listSigningSecrets(ListSigningSecretsRequest.newBuilder().setNamespace("gen").build())
            .toString();
    assertThat(listed)
        .contains(r.getSecret().getId())
        .doesNotContain(r.getGeneratedSecret().substring(6));
  }

  @Test
  void aMalformedSigningSecretIsInvalidArgumentNamingTheFieldWithoutEchoingIt() throws Exception {
    String bad = "whsec_" + "c2hvcnQ=";
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                jobs.createJob(
                    CreateJobRequest.newBuilder()
                        .setJob(job("default", "bad-secret", 60_000).setSigningSecret(bad))
                        .build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            StatusProto.fromThrowable(e)
                .getDetailsList()
                .get(0)
                .unpack(BadRequest.class)
                .getFieldViolationsList())
        .extracting(BadRequest.FieldViolation::getField)
        .containsExactly("job.signing_secret");
    assertThat(StatusProto.fromThrowable(e).toString()).doesNotContain("c2hvcnQ");
  }

  @Test
  void noNodesDataDirectoryHoldsASecretInPlaintext() throws Exception {
    String secretJob = "at-rest";
    jobs.createJob(
        CreateJobRequest.newBuilder()
            .setJob(
                job("default", secretJob, 3_600_000)
                    .setSigningSecret(secret(9))
                    .setTarget(
                        job("default", secretJob, 0)
                            .getTargetBuilder()
                            .addHeaders(
                                Header.newBuilder()
                                    .setName("Authorization")
                                    .setValue(AUTH + "-rest"))
                            .addHeaders(
                                Header.newBuilder().setName("X-Plain").setValue(PLAIN + "-rest"))))
            .build());
    secrets.rotateSigningSecret(
        RotateSigningSecretRequest.newBuilder()
            .setNamespace("rest")
            .setNewSecret(secret(10))
            .build());
    // Every node applied both, so each node's files hold the entries (Raft log at least).
    await().atMost(Duration.ofSeconds(30)).until(() -> every(PLAIN + "-rest"));
    for (String plaintext :
        List.of(secret(9), secret(9).substring(6), AUTH + "-rest", secret(10).substring(6))) {
      assertThat(filesContaining(plaintext)).as("files holding a secret").isEmpty();
    }
  }

  @Test
  void aHeaderValueWithAForbiddenCharacterIsRefusedNamingTheHeaderWithoutEchoingTheValue()
      throws Exception {
    Job.Builder bad = job("default", "bad-header", 60_000);
    bad.getTargetBuilder()
        .addHeaders(Header.newBuilder().setName("Authorization").setValue(AUTH + "\u0001"))
        .addHeaders(Header.newBuilder().setName("X-Plain").setValue(PLAIN + "-\u00e9"))
        .addHeaders(Header.newBuilder().setName("X-Tab").setValue("a\tb c"));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> jobs.createJob(CreateJobRequest.newBuilder().setJob(bad).build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    List<BadRequest.FieldViolation> v =
        StatusProto.fromThrowable(e)
            .getDetailsList()
            .get(0)
            .unpack(BadRequest.class)
            .getFieldViolationsList();
    assertThat(v)
        .extracting(BadRequest.FieldViolation::getField)
        .containsExactly("job.target.headers[0].value", "job.target.headers[1].value");
    assertThat(v.get(0).getDescription())
        .contains("header Authorization")
        .contains("visible ASCII");
    assertThat(StatusProto.fromThrowable(e).toString() + e.getMessage())
        .doesNotContain(AUTH)
        .doesNotContain(PLAIN);
  }

  @Test
  void aDeliveryTheTargetGuardRefusesIsDeadLetteredWithoutASecretAnywhere() throws Exception {
    Job.Builder refused = job("default", "refused", 500).setSigningSecret(secret(11));
    refused
        .getTargetBuilder()
        .setUrl("http://denied.test:" + receiver.port() + "/refused")
        .addHeaders(Header.newBuilder().setName("Authorization").setValue(AUTH + "-refused"))
        .addHeaders(Header.newBuilder().setName("X-Plain").setValue(PLAIN + "-refused"));
    String id =
        "default/refused@"
            + jobs.createJob(CreateJobRequest.newBuilder().setJob(refused).build()).getNextFireMs();
    ExecutionServiceGrpc.ExecutionServiceBlockingStub executions =
        ExecutionServiceGrpc.newBlockingStub(cluster.channel(cluster.follower().id()));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                executions
                        .getExecution(GetExecutionRequest.newBuilder().setId(id).build())
                        .getStatus()
                    == ExecutionStatus.EXECUTION_STATUS_DEAD);

    Execution dead = executions.getExecution(GetExecutionRequest.newBuilder().setId(id).build());
    assertThat(dead.getLastError())
        .startsWith("target refused: denied.test resolves to a loopback address");
    assertThat(dead.toString())
        .doesNotContain(AUTH)
        .doesNotContain(PLAIN)
        .doesNotContain(secret(11).substring(6));
    await().atMost(Duration.ofSeconds(30)).until(() -> every(PLAIN + "-refused"));
    assertThat(filesContaining(AUTH + "-refused"))
        .as("files holding the refused job's secret")
        .isEmpty();
    assertThat(filesContaining(secret(11).substring(6))).isEmpty();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void noLogLineHoldsASecret() {
    Receiver.Request signed = awaitRequest("default", "signed");
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(LOGS.list)) {
      lines.add(
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
    }
    assertThat(lines).isNotEmpty();
    for (String secret :
        List.of(JOB_SECRET.substring(6), AUTH, CUSTOM, signed.header("webhook-signature"))) {
      assertThat(lines).noneMatch(l -> l.contains(secret));
    }
  }

  /** Whether every node's directory holds the text in some file. */
  static boolean every(String text) throws IOException {
    List<Path> found = filesContaining(text);
    return cluster.ids().stream()
        .allMatch(
            id -> found.stream().anyMatch(p -> p.startsWith(tmp.resolve("nodes").resolve(id))));
  }

  static List<Path> filesContaining(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(tmp.resolve("nodes"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(p);
        } catch (IOException e) {
          continue; // A file RocksDB removed between listing and reading.
        }
        if (indexOf(bytes, needle) >= 0) {
          out.add(p);
        }
      }
    }
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static void assertRedacted(Job j) {
    assertThat(j.getSigningSecret()).isEmpty();
    String text = j.toString();
    assertThat(text)
        .doesNotContain(JOB_SECRET.substring(6))
        .doesNotContain(AUTH)
        .doesNotContain(CUSTOM)
        .doesNotContain("enc:v1:");
    for (Header h : j.getTarget().getHeadersList()) {
      if (!h.getName().equals("X-Plain")) {
        assertThat(h.getSecret()).as(h.getName()).isTrue();
        assertThat(h.getValue()).as(h.getName()).isEmpty();
      }
    }
    if (j.getName().equals("signed")) {
      assertThat(j.getHasSigningSecret()).isTrue();
    }
  }
}
