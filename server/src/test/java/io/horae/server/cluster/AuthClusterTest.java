package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.MetadataUtils;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.GetStateDigestRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.StateDigest;
import io.horae.api.v1.Target;
import io.horae.server.auth.Grant;
import io.horae.server.auth.TokenFile;
import io.horae.server.tls.ClusterCerts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens, client certificates and roles on a real cluster with TLS and auth on (issue 12 item 3): a
 * call without a credential or with an unknown token is UNAUTHENTICATED, a principal without the
 * role is PERMISSION_DENIED naming principal, role and namespace (never the token), health checks
 * stay open, an edit of the token file takes effect without a restart, and no refused call changes
 * any replica. The full method x role x namespace matrix is AccessMatrixTest, at the rule level.
 */
class AuthClusterTest {
  private static final String READER_TOKEN = "horae_reader-token-for-team-a-0123456789";
  private static final String WRITER_TOKEN = "horae_writer-token-for-team-a-9876543210";
  private static final long FAR_FUTURE_MS = 4_102_444_800_000L; // 2100-01-01: never fires here.

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static final List<ManagedChannel> opened = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    // Auth is on by default; the access file is the certificate directory's (MiniCluster).
    cluster =
        MiniCluster.start(
            tmp.resolve("cluster"),
            3,
            Map.of("auth.reloadInterval", "100ms", "auth.protectMetrics", "true"));
    Path tokens = cluster.certs().accessFile();
    Files.writeString(
        tokens,
        TokenFile.line("team-a-reader", READER_TOKEN, List.of(Grant.parse("reader:team-a")))
            + "\n"
            + TokenFile.line("team-a-ci", WRITER_TOKEN, List.of(Grant.parse("writer:team-a")))
            + "\n",
        StandardOpenOption.APPEND);
  }

  @AfterAll
  static void stop() {
    opened.forEach(ManagedChannel::shutdownNow);
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aCallWithoutACredentialIsUnauthenticatedWhileHealthChecksStayOpen() throws Exception {
    ManagedChannel anonymous = channel(null, false);
    StatusRuntimeException e =
        refusal(
            () ->
                jobs(anonymous)
                    .listJobs(ListJobsRequest.newBuilder().setNamespace("team-a").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).contains("bearer token or a client certificate");

    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(anonymous)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance());
    assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
  }

  @Test
  void anUnknownTokenIsUnauthenticatedAndTheAnswerNeverHoldsIt() throws Exception {
    String guess = "horae_not-a-token-anyone-holds-42";
    ManagedChannel guessing = channel(guess, false);
    StatusRuntimeException e =
        refusal(
            () ->
                jobs(guessing)
                    .listJobs(ListJobsRequest.newBuilder().setNamespace("team-a").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(e.getStatus().getDescription()).doesNotContain(guess);
  }

  @Test
  void aReaderMayListButNotCreateAndTheRefusalNamesPrincipalRoleAndNamespace() throws Exception {
    ManagedChannel reader = channel(READER_TOKEN, false);
    Map<String, StateDigest> before = digests();
    assertThat(
            jobs(reader)
                .listJobs(ListJobsRequest.newBuilder().setNamespace("team-a").build())
                .getJobsCount())
        .isGreaterThanOrEqualTo(0);

    StatusRuntimeException create =
        refusal(() -> jobs(reader).createJob(create("team-a", "not-allowed")));
    assertThat(create.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(create.getStatus().getDescription())
        .isEqualTo("principal 'team-a-reader' lacks role writer on namespace 'team-a'")
        .doesNotContain(READER_TOKEN);

    StatusRuntimeException otherNamespace =
        refusal(
            () ->
                jobs(reader).listJobs(ListJobsRequest.newBuilder().setNamespace("team-b").build()));
    assertThat(otherNamespace.getStatus().getDescription())
        .isEqualTo("principal 'team-a-reader' lacks role reader on namespace 'team-b'");

    StatusRuntimeException digest =
        refusal(
            () ->
                ClusterServiceGrpc.newBlockingStub(reader)
                    .getStateDigest(GetStateDigestRequest.getDefaultInstance()));
    assertThat(digest.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(digest.getStatus().getDescription()).contains("cluster-admin");
    assertThat(digests()).as("refused calls change no replica").isEqualTo(before);
  }

  @Test
  void aWriterCreatesInItsNamespaceOnlyAndTheAdminCertificateMayDoEverything() throws Exception {
    ManagedChannel writer = channel(WRITER_TOKEN, false);
    Job created =
        jobs(writer)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .createJob(create("team-a", "writer-job"));
    assertThat(created.getNamespace()).isEqualTo("team-a");
    assertThat(
            refusal(() -> jobs(writer).createJob(create("team-b", "elsewhere")))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.PERMISSION_DENIED);

    ManagedChannel admin = channel(null, true);
    assertThat(
            jobs(admin)
                .listJobs(ListJobsRequest.newBuilder().setNamespace("team-a").build())
                .getJobsList())
        .extracting(Job::getName)
        .contains("writer-job");
    assertThat(
            ClusterServiceGrpc.newBlockingStub(admin)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getStateDigest(GetStateDigestRequest.getDefaultInstance())
                .getAppliedIndex())
        .isPositive();
    jobs(admin)
        .deleteJob(
            io.horae.api.v1.DeleteJobRequest.newBuilder()
                .setNamespace("team-a")
                .setName("writer-job")
                .build());
  }

  @Test
  void listNamespacesShowsAReaderOnlyTheNamespacesItMayRead() throws Exception {
    ManagedChannel admin = channel(null, true);
    jobs(admin).withDeadlineAfter(30, TimeUnit.SECONDS).createJob(create("team-a", "ns-seen"));
    jobs(admin).withDeadlineAfter(30, TimeUnit.SECONDS).createJob(create("team-b", "ns-hidden"));
    ManagedChannel reader = channel(READER_TOKEN, false);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> names(admin).containsAll(List.of("team-a", "team-b")));
    await().atMost(Duration.ofSeconds(10)).until(() -> names(reader).contains("team-a"));
    assertThat(names(reader)).doesNotContain("team-b");

    jobs(admin)
        .deleteJob(
            io.horae.api.v1.DeleteJobRequest.newBuilder()
                .setNamespace("team-a")
                .setName("ns-seen")
                .build());
    jobs(admin)
        .deleteJob(
            io.horae.api.v1.DeleteJobRequest.newBuilder()
                .setNamespace("team-b")
                .setName("ns-hidden")
                .build());
  }

  private static List<String> names(ManagedChannel channel) {
    return jobs(channel)
        .listNamespaces(io.horae.api.v1.ListNamespacesRequest.getDefaultInstance())
        .getNamespacesList()
        .stream()
        .map(io.horae.api.v1.NamespaceInfo::getName)
        .toList();
  }

  @Test
  void aTokenRemovedFromTheFileIsRefusedWithoutARestart() throws Exception {
    String token = "horae_short-lived-token-0000000000";
    Path tokens = cluster.certs().accessFile();
    String before = Files.readString(tokens);
    Files.writeString(
        tokens,
        TokenFile.line("temp", token, List.of(Grant.parse("reader:*"))) + "\n",
        StandardOpenOption.APPEND);
    ManagedChannel temp = channel(token, false);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () ->
                jobs(temp).listJobs(ListJobsRequest.newBuilder().setNamespace("x").build())
                    != null);

    Files.writeString(tokens, before);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                catchThrowableOfType(
                        StatusRuntimeException.class,
                        () ->
                            jobs(temp)
                                .listJobs(ListJobsRequest.newBuilder().setNamespace("x").build()))
                    != null);
    assertThat(
            refusal(
                    () ->
                        jobs(temp).listJobs(ListJobsRequest.newBuilder().setNamespace("x").build()))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void metricsNeedATokenOfTheFileWhenTheConfigSaysSo() throws Exception {
    HttpClient http = cluster.adminHttp();
    URI metrics = URI.create(cluster.adminUrl("n1") + "/metrics");
    assertThat(
            http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(401);
    HttpResponse<String> withToken =
        http.send(
            HttpRequest.newBuilder(metrics)
                .header("Authorization", "Bearer " + READER_TOKEN)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(withToken.statusCode()).isEqualTo(200);
    URI ready = URI.create(cluster.adminUrl("n1") + "/health/live");
    assertThat(
            http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .as("health stays open")
        .isEqualTo(200);
  }

  private static CreateJobRequest create(String namespace, String name) {
    return CreateJobRequest.newBuilder()
        .setJob(
            Job.newBuilder()
                .setNamespace(namespace)
                .setName(name)
                .setSchedule(Schedule.newBuilder().setAtMs(FAR_FUTURE_MS))
                .setTarget(
                    Target.newBuilder().setUrl("http://127.0.0.1:9/never").setMethod("POST")))
        .build();
  }

  private static JobServiceGrpc.JobServiceBlockingStub jobs(ManagedChannel ch) {
    return JobServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  private static StatusRuntimeException refusal(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call must be refused").isNotNull();
    return e;
  }

  /**
   * A TLS channel to n1 trusting the cluster CA, with a bearer token and/or the admin certificate.
   */
  private static ManagedChannel channel(String token, boolean adminCertificate) throws Exception {
    return channel("n1", token, adminCertificate);
  }

  private static ManagedChannel channel(String node, String token, boolean adminCertificate)
      throws Exception {
    SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(cluster.caFile().toFile());
    if (adminCertificate) {
      ssl.keyManager(
          cluster.certs().cert(ClusterCerts.ADMIN).toFile(),
          cluster.certs().key(ClusterCerts.ADMIN).toFile());
    }
    NettyChannelBuilder b =
        NettyChannelBuilder.forTarget(cluster.endpoint(node)).sslContext(ssl.build());
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      b.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    ManagedChannel ch = b.build();
    opened.add(ch);
    return ch;
  }

  private static Map<String, StateDigest> digests() throws Exception {
    Map<String, StateDigest> out = new LinkedHashMap<>();
    for (String id : cluster.ids()) {
      out.put(
          id,
          ClusterServiceGrpc.newBlockingStub(channel(id, null, true))
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .getStateDigest(GetStateDigestRequest.getDefaultInstance()));
    }
    return out;
  }
}
