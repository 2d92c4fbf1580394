package io.horae.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.auth.Grant;
import io.horae.server.auth.TokenFile;
import io.horae.server.cluster.Closer;
import io.horae.server.cluster.MiniCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's HTTP side on a one-node cluster with TLS and auth on, without a browser: its JSON
 * comes from the public API with the caller's token, so the API's refusals arrive as HTTP statuses
 * with the API's message (no token 401, a reader of another namespace 403, a bad filter 400, an
 * unknown job 404); the static files carry a strict content security policy; nothing but GET and
 * the console's own files is served.
 */
class ConsoleApiTest {
  private static final String OTHER_READER_TOKEN = "horae_console-reader-of-team-b-0123456789";
  private static final long FAR_MS = 4_102_444_800_000L; // 2100-01-01: never fires in a test

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 1, Map.of("auth.reloadInterval", "100ms"));
    Files.writeString(
        cluster.certs().accessFile(),
        TokenFile.line("team-b-reader", OTHER_READER_TOKEN, List.of(Grant.parse("reader:team-b")))
            + "\n",
        StandardOpenOption.APPEND);
    http = cluster.adminHttp();
    JobServiceGrpc.newBlockingStub(cluster.channel("n1"))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .createJob(
            CreateJobRequest.newBuilder()
                .setJob(
                    Job.newBuilder()
                        .setNamespace("default")
                        .setName("listed")
                        .setSchedule(Schedule.newBuilder().setAtMs(FAR_MS))
                        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/never"))
                        .putLabels("team", "pay"))
                .build());
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(http, cluster);
  }

  @Test
  void withTheAdminTokenJobsAreListedAsTheApiReturnsThemFilteredByLabelAndState() throws Exception {
    HttpResponse<String> pay =
        get("/console/api/jobs?namespace=default&selector=team%3Dpay&state=active", admin());
    HttpResponse<String> ops =
        get("/console/api/jobs?namespace=default&selector=team%3Dops", admin());

    assertThat(pay.statusCode()).isEqualTo(200);
    assertThat(pay.headers().firstValue("Content-Type"))
        .hasValue("application/json; charset=utf-8");
    assertThat(pay.body()).contains("\"name\": \"listed\"").contains("JOB_STATE_ACTIVE");
    assertThat(ops.statusCode()).isEqualTo(200);
    assertThat(ops.body()).doesNotContain("listed");
  }

  @Test
  void theClusterStatusNamesTheMemberAndItsRole() throws Exception {
    HttpResponse<String> r = get("/console/api/cluster", admin());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"id\": \"n1\"")
        .contains("\"leaseAgeMs\"")
        .contains("\"shardOwners\"");
  }

  @Test
  void withoutATokenTheApiAnswers401WithItsMessageAndAskForABearerToken() throws Exception {
    HttpResponse<String> r = get("/console/api/jobs", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(r.body()).contains("\"code\":\"UNAUTHENTICATED\"").contains("bearer token");
  }

  @Test
  void anUnknownTokenIs401AndIsNotEchoed() throws Exception {
    HttpResponse<String> r =
        get("/console/api/cluster", "Bearer horae_nobody-holds-this-token-000000");

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).doesNotContain("nobody-holds-this-token");
  }

  @Test
  void aReaderOfAnotherNamespaceIsRefused403NamingThePrincipal() throws Exception {
    HttpResponse<String> r =
        get("/console/api/dlq?namespace=default", "Bearer " + OTHER_READER_TOKEN);

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body())
        .contains("PERMISSION_DENIED")
        .contains("team-b-reader")
        .doesNotContain(OTHER_READER_TOKEN);
  }

  @Test
  void anUnknownStateIs400NamingTheParameterAndItsValue() throws Exception {
    HttpResponse<String> r = get("/console/api/jobs?state=sleepy", admin());

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("INVALID_ARGUMENT").contains("state=sleepy");
  }

  @Test
  void anUnknownJobIs404AsTheApiSaysAndSoIsAnUnknownEndpoint() throws Exception {
    HttpResponse<String> job = get("/console/api/job?namespace=default&name=absent", admin());
    HttpResponse<String> endpoint = get("/console/api/secrets", admin());

    assertThat(job.statusCode()).isEqualTo(404);
    assertThat(job.body()).contains("NOT_FOUND");
    assertThat(endpoint.statusCode()).isEqualTo(404);
  }

  @Test
  void thePageIsServedWithAStrictContentSecurityPolicyAndTheBarePathRedirects() throws Exception {
    HttpResponse<String> page = get("/console/", null);
    HttpResponse<String> script = get("/console/console.js", null);
    HttpResponse<String> bare = get("/console", null);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("<title>Horae console</title>");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .get()
        .asString()
        .contains("script-src 'self'")
        .contains("frame-ancestors 'none'");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValue("text/javascript; charset=utf-8");
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location")).hasValue("/console/");
  }

  @Test
  void onlyTheConsolesOwnFilesAndOnlyGetAreServed() throws Exception {
    HttpResponse<String> other = get("/console/ConsoleHandler.class", null);
    HttpResponse<String> escaped = get("/console/%2e%2e/metrics", null);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(URI.create(cluster.adminUrl("n1") + "/console/api/jobs"))
                .header("Authorization", admin())
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(escaped.statusCode()).isEqualTo(404);
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void theWatchStreamsServerSentEventsStartingWithWatching() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(cluster.adminUrl("n1") + "/console/api/watch?namespace=default"))
            .header("Authorization", admin())
            .timeout(Duration.ofSeconds(10))
            .build();
    HttpResponse<java.util.stream.Stream<String>> r =
        http.send(request, HttpResponse.BodyHandlers.ofLines());

    try (var lines = r.body()) {
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type"))
          .hasValue("text/event-stream; charset=utf-8");
      assertThat(lines.findFirst())
          .get()
          .asString()
          .startsWith("data: {")
          .contains("EXECUTION_EVENT_KIND_WATCHING");
    }
  }

  @Test
  void aRefusedWatchIsAPlainErrorStatusNotAStream() throws Exception {
    HttpResponse<String> r = get("/console/api/watch?namespace=default", null);

    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
  }

  private static String admin() {
    return "Bearer " + cluster.adminToken();
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(cluster.adminUrl("n1") + path))
            .timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
