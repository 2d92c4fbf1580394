package io.horae.server.cluster;

import static io.horae.server.cluster.MisbehavingReceiver.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Attempt;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Every;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.JobState;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.cluster.MisbehavingReceiver.HugeBody;
import io.horae.server.cluster.MisbehavingReceiver.Request;
import io.horae.server.cluster.MisbehavingReceiver.Reset;
import io.horae.server.cluster.MisbehavingReceiver.StallAfterHeaders;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries, timeouts and the final state of executions whose target misbehaves, on a real node with
 * a real (deliberately bad) HTTP target: every attempt carries the same Idempotency-Key, the
 * attempts are spaced within the policy's bounds, and the history records each one.
 */
class DeliveryPolicyTest {
  /**
   * Scan interval, apply and the owner loop: how much later than its retry time an attempt may
   * start.
   */
  private static final long SLACK_MS = 1_500;

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static MisbehavingReceiver target;
  static JobServiceGrpc.JobServiceBlockingStub jobs;
  static ExecutionServiceGrpc.ExecutionServiceBlockingStub executions;

  @BeforeAll
  static void start() throws Exception {
    target = new MisbehavingReceiver();
    cluster = MiniCluster.start(tmp, 1, Map.of());
    jobs = JobServiceGrpc.newBlockingStub(cluster.channel("n1"));
    executions = ExecutionServiceGrpc.newBlockingStub(cluster.channel("n1"));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster, target);
  }

  @Test
  void aTargetFailingTwiceWith503IsRetriedWithBackoffUnderOneKeyAndOneTraceUntilItSucceeds() {
    target.script("/flaky", n -> n <= 2 ? status(503) : status(200));
    RetryPolicy policy =
        RetryPolicy.newBuilder()
            .setMaxAttempts(5)
            .setInitialBackoffMs(300)
            .setMaxBackoffMs(1_000)
            .setMultiplier(2)
            .build();
    String id = create(oneShot("flaky", "/flaky").setRetry(policy));

    Execution done = awaitFinished(id);

    assertThat(done.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(done.getAttempt()).isEqualTo(3);
    List<Request> got = target.requests("/flaky");
    assertThat(got).hasSize(3);
    assertThat(got).extracting(r -> r.header("Idempotency-Key")).containsOnly(id);
    assertThat(got).extracting(r -> r.header("X-Horae-Attempt")).containsExactly("1", "2", "3");
    // Attempt n+1 waits at most the backoff cap min(1000, 300 * 2^(n-1)) plus scheduling slack.
    assertThat(got.get(1).receivedMs() - got.get(0).receivedMs())
        .isLessThanOrEqualTo(300 + SLACK_MS);
    assertThat(got.get(2).receivedMs() - got.get(1).receivedMs())
        .isLessThanOrEqualTo(600 + SLACK_MS);
    List<String> traceIds =
        got.stream().map(r -> r.header("traceparent").split("-")[1]).distinct().toList();
    List<String> spanIds =
        got.stream().map(r -> r.header("traceparent").split("-")[2]).distinct().toList();
    assertThat(traceIds)
        .as("one trace per execution")
        .hasSize(1)
        .containsExactly(done.getTraceId());
    assertThat(spanIds).as("a new span per attempt").hasSize(3);
    assertThat(done.getAttemptsList())
        .extracting(Attempt::getHttpStatus)
        .containsExactly(503, 503, 200);
    assertThat(done.getAttemptsList())
        .extracting(Attempt::getSpanId)
        .containsExactlyElementsOf(spanIds);
    assertThat(done.getAttemptsList()).extracting(Attempt::getNode).containsOnly("n1");
  }

  @Test
  void a429IsRetriedNoSoonerThanItsRetryAfterAndATraceparentGivenAtCreationIsContinued() {
    target.script("/busy", n -> n == 1 ? status(429, "Retry-After", "2") : status(200));
    String parent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    RetryPolicy policy =
        RetryPolicy.newBuilder()
            .setMaxAttempts(3)
            .setInitialBackoffMs(100)
            .setMaxBackoffMs(10_000)
            .build();
    String id = create(oneShot("busy", "/busy").setRetry(policy).setTraceparent(parent));

    Execution done = awaitFinished(id);

    assertThat(done.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    List<Request> got = target.requests("/busy");
    assertThat(got).hasSize(2);
    assertThat(got.get(1).receivedMs() - got.get(0).receivedMs())
        .isGreaterThanOrEqualTo(2_000)
        .isLessThan(2_000 + SLACK_MS);
    assertThat(got)
        .extracting(r -> r.header("traceparent"))
        .allMatch(h -> h.startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-") && h.endsWith("-01"));
    assertThat(done.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void aRetryAfterLongerThanTheMaxBackoffIsCappedByIt() {
    target.script("/slow-down", n -> n == 1 ? status(503, "Retry-After", "3600") : status(200));
    RetryPolicy policy =
        RetryPolicy.newBuilder()
            .setMaxAttempts(2)
            .setInitialBackoffMs(100)
            .setMaxBackoffMs(500)
            .build();
    String id = create(oneShot("slow-down", "/slow-down").setRetry(policy));

    assertThat(awaitFinished(id).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    List<Request> got = target.requests("/slow-down");
    assertThat(got.get(1).receivedMs() - got.get(0).receivedMs())
        .isGreaterThanOrEqualTo(500)
        .isLessThan(500 + SLACK_MS);
  }

  @Test
  void a400GoesStraightToTheDeadLetterQueueAfterOneAttempt() {
    target.script(
        "/bad",
        n -> new MisbehavingReceiver.Answer(400, Map.of(), "{\"error\":\"no such order\"}"));
    String id =
        create(
            oneShot("bad", "/bad")
                .setRetry(RetryPolicy.newBuilder().setMaxAttempts(5).setInitialBackoffMs(100)));

    Execution dead = awaitFinished(id);

    assertThat(dead.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(dead.getAttempt()).isEqualTo(1);
    assertThat(dead.getLastError()).contains("HTTP 400").contains("not retried");
    assertThat(dead.getAttempts(0).getResponseExcerpt().toStringUtf8())
        .isEqualTo("{\"error\":\"no such order\"}");
    assertThat(target.requests("/bad")).hasSize(1);
  }

  @Test
  void aRetryThatWouldStartAfterTheRetryDeadlineIsNotMadeAndTheExecutionIsDead() {
    target.script("/deadline", n -> status(503, "Retry-After", "3"));
    RetryPolicy policy =
        RetryPolicy.newBuilder()
            .setMaxAttempts(5)
            .setMaxBackoffMs(10_000)
            .setRetryDeadlineMs(1_000)
            .build();
    String id = create(oneShot("deadline", "/deadline").setRetry(policy));

    Execution dead = awaitFinished(id);

    assertThat(dead.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(dead.getAttempt()).isEqualTo(1);
    assertThat(dead.getLastError()).contains("retry deadline passed");
  }

  @Test
  void a410PausesARecurringJobWithTheReasonAndNoLaterOccurrenceIsDelivered() {
    target.script("/gone", n -> status(410));
    long anchor = System.currentTimeMillis() + 2_000;
    Job job =
        Job.newBuilder()
            .setName("gone")
            .setSchedule(
                Schedule.newBuilder()
                    .setEvery(Every.newBuilder().setIntervalMs(1_000).setAnchorMs(anchor)))
            .setTarget(Target.newBuilder().setUrl(target.url("/gone")))
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(5).setInitialBackoffMs(100))
            .build();
    String first = create(job.toBuilder());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> getJob("gone").getState() == JobState.JOB_STATE_PAUSED);
    assertThat(getJob("gone").getPausedReason()).contains("410 Gone").contains(first);
    assertThat(awaitFinished(first).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    // A marker due after two more intervals: once it has arrived, a next occurrence would have too.
    target.script("/marker-410", n -> status(200));
    String marker =
        create(
            oneShot("marker-410", "/marker-410")
                .setSchedule(Schedule.newBuilder().setAtMs(anchor + 3_000)));
    awaitFinished(marker);
    assertThat(target.requests("/gone")).hasSize(1);
  }

  @Test
  void aTargetThatStallsAfterTheHeadersIsCutAtTheTotalTimeoutAndRetried() {
    target.script("/stall", n -> new StallAfterHeaders());
    String id =
        create(
            oneShot("stall", "/stall")
                .setTarget(Target.newBuilder().setUrl(target.url("/stall")).setTimeoutMs(1_000))
                .setRetry(RetryPolicy.newBuilder().setMaxAttempts(2).setInitialBackoffMs(100)));

    Execution dead = awaitFinished(id);

    assertThat(dead.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(dead.getAttempt()).isEqualTo(2);
    assertThat(dead.getAttemptsList())
        .allSatisfy(
            a -> {
              assertThat(a.getErrorClass()).isEqualTo("CallTimeout");
              assertThat(a.getHttpStatus()).as("the headers arrived").isEqualTo(200);
              assertThat(a.getLatencyMs()).isBetween(1_000L, 1_000L + SLACK_MS);
            });
    assertThat(dead.getLastError()).contains("attempts used up (2 of 2)");
  }

  @Test
  void aResetConnectionIsRetriedAndRecordedAsAnErrorWithoutAStatus() {
    target.script("/reset", n -> n == 1 ? new Reset() : status(204));
    String id =
        create(
            oneShot("reset", "/reset")
                .setRetry(RetryPolicy.newBuilder().setMaxAttempts(3).setInitialBackoffMs(100)));

    Execution done = awaitFinished(id);

    assertThat(done.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(done.getAttempt()).isEqualTo(2);
    assertThat(done.getAttempts(0).getHttpStatus()).isZero();
    assertThat(done.getAttempts(0).getErrorClass()).isNotEmpty();
    assertThat(target.requests("/reset"))
        .extracting(r -> r.header("Idempotency-Key"))
        .containsOnly(id);
  }

  @Test
  void aTenMegabyteResponseIsReadOnlyUpToTheOneKibibyteExcerpt() {
    target.script("/huge", n -> new HugeBody(10L << 20));
    String id = create(oneShot("huge", "/huge"));

    Execution done = awaitFinished(id);

    assertThat(done.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(done.getAttempts(0).getResponseExcerpt().size()).isEqualTo(1024);
    assertThat(done.getAttempts(0).getResponseExcerpt().toStringUtf8())
        .startsWith("abcdefghijklmnopqrstuvwxyzabc");
  }

  private static Job.Builder oneShot(String name, String path) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAfterMs(500))
        .setTarget(Target.newBuilder().setUrl(target.url(path)));
  }

  private static String create(Job.Builder job) {
    Job created =
        jobs.withDeadlineAfter(10, TimeUnit.SECONDS)
            .createJob(CreateJobRequest.newBuilder().setJob(job).build());
    return created.getNamespace() + "/" + created.getName() + "@" + created.getNextFireMs();
  }

  private static Job getJob(String name) {
    return jobs.withDeadlineAfter(10, TimeUnit.SECONDS)
        .getJob(GetJobRequest.newBuilder().setName(name).build());
  }

  private static Execution get(String id) {
    return executions
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getExecution(GetExecutionRequest.newBuilder().setId(id).build());
  }

  private static Execution awaitFinished(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                switch (get(id).getStatus()) {
                  case EXECUTION_STATUS_SUCCEEDED,
                      EXECUTION_STATUS_DEAD,
                      EXECUTION_STATUS_CANCELLED ->
                      true;
                  default -> false;
                });
    return get(id);
  }
}
