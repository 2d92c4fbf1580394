package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.horae.api.v1.Attempt;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.node.HoraeNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces end to end: a 3-node cluster exports to an OTLP collector in the test's process on
 * loopback. A job created with a traceparent fails once and then succeeds; the collector must
 * receive one span per attempt, children of the job's traceparent, whose ids the webhook requests
 * and the attempt history carry, and a span of the CreateJob call.
 */
class TracingTest {
  private static final String JOB_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String JOB_SPAN = "00f067aa0ba902b7";
  private static final String CALLER_TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String CALLER_SPAN = "b7ad6b7169203331";

  @TempDir static Path tmp;
  static OtlpCollector collector;
  static Receiver receiver;
  static MiniCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    collector = new OtlpCollector();
    receiver = new Receiver();
    cluster =
        MiniCluster.start(
            tmp,
            3,
            Map.of(
                "tracing.otlpEndpoint",
                collector.endpoint(),
                "tracing.serviceName",
                "horae-test",
                "tracing.exportInterval",
                "100ms"));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster, receiver, collector);
  }

  @Test
  void eachAttemptIsASpanUnderTheJobsTraceparentAndTheWebhookCarriesItsId() {
    AtomicInteger calls = new AtomicInteger();
    receiver.answer(() -> calls.incrementAndGet() == 1 ? 500 : 200);
    JobServiceGrpc.JobServiceBlockingStub jobs =
        JobServiceGrpc.newBlockingStub(cluster.channel("n2"));
    Job created =
        jobs.withDeadlineAfter(10, TimeUnit.SECONDS)
            .createJob(
                CreateJobRequest.newBuilder()
                    .setJob(
                        Job.newBuilder()
                            .setName("traced")
                            .setSchedule(Schedule.newBuilder().setAfterMs(300))
                            .setTarget(Target.newBuilder().setUrl(receiver.url("/traced")))
                            .setRetry(
                                RetryPolicy.newBuilder()
                                    .setMaxAttempts(3)
                                    .setInitialBackoffMs(100)
                                    .setMaxBackoffMs(200))
                            .setTraceparent("00-" + JOB_TRACE + "-" + JOB_SPAN + "-01"))
                    .build());
    String id = created.getNamespace() + "/" + created.getName() + "@" + created.getNextFireMs();

    await().atMost(Duration.ofSeconds(15)).until(() -> attemptSpans(id).size() >= 2);

    Execution done = execution(id);
    assertThat(done.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    List<OtlpCollector.Span> spans = attemptSpans(id);
    assertThat(spans).hasSize(2);
    List<Receiver.Request> requests =
        receiver.requests().stream().filter(r -> id.equals(r.header("Idempotency-Key"))).toList();
    assertThat(requests).hasSize(2);
    for (int i = 0; i < 2; i++) {
      OtlpCollector.Span span = spans.get(i);
      Attempt attempt = done.getAttempts(i);
      assertThat(span.name()).isEqualTo("webhook POST");
      assertThat(span.traceId()).isEqualTo(JOB_TRACE);
      assertThat(span.parentSpanId()).isEqualTo(JOB_SPAN);
      assertThat(span.number("horae.attempt")).isEqualTo(i + 1L);
      assertThat(span.number("horae.shard")).isEqualTo((long) done.getShard());
      assertThat(span.string("horae.node")).isEqualTo(attempt.getNode()).isIn(cluster.ids());
      assertThat(span.resource().get("service.name").getStringValue()).isEqualTo("horae-test");
      assertThat(span.resource().get("service.instance.id").getStringValue())
          .isEqualTo(attempt.getNode());
      assertThat(attempt.getSpanId())
          .as("the attempt history records the span")
          .isEqualTo(span.spanId());
      Receiver.Request request =
          requests.stream()
              .filter(
                  r -> r.header("X-Horae-Attempt").equals(Integer.toString(attempt.getNumber())))
              .findFirst()
              .orElseThrow();
      assertThat(request.header("traceparent"))
          .isEqualTo("00-" + JOB_TRACE + "-" + span.spanId() + "-01");
    }
    assertThat(spans.get(0).number("http.response.status_code")).isEqualTo(500L);
    assertThat(spans.get(0).string("horae.outcome")).isEqualTo("retrying");
    assertThat(spans.get(0).string("error.type")).isEqualTo("500");
    assertThat(spans.get(1).number("http.response.status_code")).isEqualTo(200L);
    assertThat(spans.get(1).string("horae.outcome")).isEqualTo("succeeded");
    HoraeNode sender = cluster.node(done.getAttempts(1).getNode());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                sender
                        .registry()
                        .get("horae.tracing.spans")
                        .tag("outcome", "exported")
                        .counter()
                        .count()
                    >= 1);
  }

  @Test
  void aPublicApiCallIsASpanNamedByItsMethodUnderTheCallersTraceparentAndHealthChecksAreNot() {
    // Ends before the CreateJob call below on the same node, so it would be exported no later.
    HealthGrpc.newBlockingStub(cluster.channel("n1"))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
    Metadata caller = new Metadata();
    caller.put(
        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
    JobServiceGrpc.newBlockingStub(cluster.channel("n1"))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(caller))
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .createJob(
            CreateJobRequest.newBuilder()
                .setJob(
                    Job.newBuilder()
                        .setName("api-span")
                        .setSchedule(Schedule.newBuilder().setAfterMs(60_000))
                        .setTarget(Target.newBuilder().setUrl(receiver.url("/api-span"))))
                .build());

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                collector.spans().stream()
                    .anyMatch(
                        s ->
                            s.name().equals("horae.v1.JobService/CreateJob")
                                && s.string("horae.node").equals("n1")));

    OtlpCollector.Span span =
        collector.spans().stream()
            .filter(
                s ->
                    s.name().equals("horae.v1.JobService/CreateJob")
                        && s.string("horae.node").equals("n1"))
            .findFirst()
            .orElseThrow();
    assertThat(span.traceId()).isEqualTo(CALLER_TRACE);
    assertThat(span.parentSpanId()).isEqualTo(CALLER_SPAN);
    assertThat(span.kind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER_VALUE);
    assertThat(span.number("rpc.grpc.status_code")).isZero();
    assertThat(span.string("rpc.system")).isEqualTo("grpc");
    assertThat(collector.spans())
        .extracting(OtlpCollector.Span::name)
        .noneMatch(name -> name.startsWith("grpc."));
  }

  @Test
  void theConsolesInProcessCallsAreApiSpansToo() throws Exception {
    HttpResponse<String> r =
        cluster
            .adminHttp()
            .send(
                HttpRequest.newBuilder(URI.create(cluster.adminUrl("n3") + "/console/api/cluster"))
                    .header("Authorization", "Bearer " + cluster.adminToken())
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                collector.spans().stream()
                    .anyMatch(
                        s ->
                            s.name().startsWith("horae.v1.ClusterService/")
                                && s.string("horae.node").equals("n3")));
  }

  @Test
  void everyNodeHasTracingOnWithAnEndpoint() {
    for (HoraeNode node : cluster.nodes()) {
      assertThat(node.tracing().enabled()).as(node.id()).isTrue();
      assertThat(node.tracing().apiInterceptor()).isPresent();
    }
  }

  private static List<OtlpCollector.Span> attemptSpans(String id) {
    return collector.spans().stream()
        .filter(s -> id.equals(s.string("horae.execution_id")))
        .sorted(Comparator.comparing(s -> s.number("horae.attempt")))
        .toList();
  }

  private static Execution execution(String id) {
    ExecutionServiceGrpc.ExecutionServiceBlockingStub stub =
        ExecutionServiceGrpc.newBlockingStub(cluster.channel("n1"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getExecution(GetExecutionRequest.newBuilder().setId(id).build())
                        .getAttemptsCount()
                    >= 2);
    return stub.withDeadlineAfter(5, TimeUnit.SECONDS)
        .getExecution(GetExecutionRequest.newBuilder().setId(id).build());
  }
}
