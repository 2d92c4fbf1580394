package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.DeadLetterFilter;
import io.horae.api.v1.DeadLetterServiceGrpc;
import io.horae.api.v1.Every;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetDeadLetterRequest;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.JobState;
import io.horae.api.v1.ListDeadLettersRequest;
import io.horae.api.v1.ListDeadLettersResponse;
import io.horae.api.v1.PauseJobRequest;
import io.horae.api.v1.PurgeDeadLettersRequest;
import io.horae.api.v1.PurgeDeadLettersResponse;
import io.horae.api.v1.ReplayDeadLettersRequest;
import io.horae.api.v1.ReplayDeadLettersResponse;
import io.horae.api.v1.ResumeJobRequest;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DeadLetterService and job pause/resume on a real 3-node cluster with a real HTTP receiver whose
 * answer each test sets: a final 400 sends an execution to the DLQ, where it is listed, replayed
 * (same idempotency key, attempt count going on) and purged; bad input is refused naming the field.
 * Calls go to a follower, so writes are forwarded and reads are linearizable. Tests run one after
 * another (the receiver's answer is shared) in their own namespaces.
 */
class DeadLetterApiTest {
  private static final long FAR_MS = 4_102_444_800_000L; // 2100-01-01: never fires in a test
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;
  static DeadLetterServiceGrpc.DeadLetterServiceBlockingStub dlq;
  static ExecutionServiceGrpc.ExecutionServiceBlockingStub executions;
  static JobServiceGrpc.JobServiceBlockingStub jobs;

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    cluster = MiniCluster.start(tmp, 3, Map.of());
    String follower = cluster.follower().id();
    dlq = DeadLetterServiceGrpc.newBlockingStub(cluster.channel(follower));
    executions = ExecutionServiceGrpc.newBlockingStub(cluster.channel(follower));
    jobs = JobServiceGrpc.newBlockingStub(cluster.channel(follower));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster, receiver);
  }

  @Test
  void
      aFinal400EndsDeadAndAReplayAfterTheFixDeliversItAgainWithTheSameKeyAndTheNextAttemptNumber() {
    receiver.answer(() -> 400);
    String id = createDue("dlq-replay", "broken", "/replay");
    Execution dead = awaitStatus(id, ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(dead.getAttempt()).isEqualTo(1);
    assertThat(dead.getLastHttpStatus()).isEqualTo(400);

    assertThat(ids(dlq.listDeadLetters(list(filter("dlq-replay")).build()))).containsExactly(id);
    assertThat(ids(dlq.listDeadLetters(list(filter("dlq-replay").setHttpStatus(400)).build())))
        .containsExactly(id);
    assertThat(ids(dlq.listDeadLetters(list(filter("dlq-replay").setHttpStatus(500)).build())))
        .isEmpty();
    assertThat(ids(dlq.listDeadLetters(list(filter("dlq-replay").setJobName("other")).build())))
        .isEmpty();
    assertThat(dlq.getDeadLetter(GetDeadLetterRequest.newBuilder().setId(id).build()))
        .isEqualTo(dead.toBuilder().clearShardOwner().build());

    receiver.answer(() -> 200);
    ReplayDeadLettersResponse replayed =
        dlq.replayDeadLetters(ReplayDeadLettersRequest.newBuilder().addIds(id).build());

    assertThat(replayed.getReplayed()).isEqualTo(1);
    assertThat(replayed.getSkipped()).isZero();
    Execution done = awaitStatus(id, ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(done.getAttempt()).isEqualTo(dead.getAttempt() + 1);
    List<Receiver.Delivery> deliveries = deliveries("/replay");
    assertThat(deliveries).extracting(Receiver.Delivery::idempotencyKey).containsExactly(id, id);
    assertThat(deliveries).extracting(Receiver.Delivery::attempt).containsExactly("1", "2");
    assertThat(ids(dlq.listDeadLetters(list(filter("dlq-replay")).build()))).isEmpty();
    assertThat(code(() -> dlq.getDeadLetter(GetDeadLetterRequest.newBuilder().setId(id).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    ReplayDeadLettersResponse again =
        dlq.replayDeadLetters(ReplayDeadLettersRequest.newBuilder().addIds(id).build());
    assertThat(again.getReplayed()).isZero();
    assertThat(again.getSkipped()).as("no longer dead: skipped, not an error").isEqualTo(1);
  }

  @Test
  void replayByFilterIsBoundedByItsLimitAndHandsOutATokenWhileMoreMatch() {
    receiver.answer(() -> 400);
    List<String> dead = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      dead.add(createDue("dlq-bounded", "j" + i, "/bounded"));
    }
    dead.forEach(id -> awaitStatus(id, ExecutionStatus.EXECUTION_STATUS_DEAD));

    ReplayDeadLettersRequest.Builder request =
        ReplayDeadLettersRequest.newBuilder()
            .setFilter(filter("dlq-bounded"))
            .setLimit(2)
            .setDueMs(FAR_MS);
    ReplayDeadLettersResponse first = dlq.replayDeadLetters(request.build());
    ReplayDeadLettersResponse second =
        dlq.replayDeadLetters(request.setPageToken(first.getNextPageToken()).build());

    assertThat(first.getReplayed()).isEqualTo(2);
    assertThat(first.getMore()).isTrue();
    assertThat(first.getNextPageToken()).isNotEmpty();
    assertThat(second.getReplayed()).isEqualTo(1);
    assertThat(second.getMore()).isFalse();
    for (String id : dead) {
      Execution e = get(id);
      assertThat(e.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
      assertThat(e.getDueMs()).isEqualTo(FAR_MS);
      assertThat(e.getAttempt()).isEqualTo(1);
    }
  }

  @Test
  void purgeByFilterRemovesTheDeadLettersAndTheirExecutionsAndNothingElse() {
    receiver.answer(() -> 400);
    String a = createDue("dlq-purge", "a", "/purge");
    String b = createDue("dlq-purge", "b", "/purge");
    awaitStatus(a, ExecutionStatus.EXECUTION_STATUS_DEAD);
    awaitStatus(b, ExecutionStatus.EXECUTION_STATUS_DEAD);

    PurgeDeadLettersResponse onlyA =
        dlq.purgeDeadLetters(
            PurgeDeadLettersRequest.newBuilder()
                .setFilter(filter("dlq-purge").setJobName("a"))
                .build());

    assertThat(onlyA.getPurged()).isEqualTo(1);
    assertThat(onlyA.getMore()).isFalse();
    assertThat(code(() -> get(a))).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(ids(dlq.listDeadLetters(list(filter("dlq-purge")).build()))).containsExactly(b);
    PurgeDeadLettersResponse rest =
        dlq.purgeDeadLetters(
            PurgeDeadLettersRequest.newBuilder().setFilter(filter("dlq-purge")).build());
    assertThat(rest.getPurged()).isEqualTo(1);
    assertThat(ids(dlq.listDeadLetters(list(filter("dlq-purge")).build()))).isEmpty();
    assertThat(code(() -> get(b))).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void badTokensEmptySelectionsAndMalformedFiltersAreRefusedNamingTheField() {
    assertViolation(
        () -> dlq.listDeadLetters(list(filter("x")).setPageToken("garbage!").build()),
        "page_token");
    assertViolation(
        () -> dlq.listDeadLetters(list(filter("x")).setPageSize(-1).build()), "page_size");
    assertViolation(
        () -> dlq.listDeadLetters(list(filter("x").setHttpStatus(42)).build()),
        "filter.http_status");
    assertViolation(
        () -> dlq.listDeadLetters(list(filter("x").setDeadFromMs(10).setDeadToMs(5)).build()),
        "filter.dead_to_ms");
    assertViolation(() -> dlq.listDeadLetters(list(filter("bad ns")).build()), "filter.namespace");
    assertViolation(
        () -> dlq.replayDeadLetters(ReplayDeadLettersRequest.getDefaultInstance()), "ids");
    assertViolation(
        () -> dlq.purgeDeadLetters(PurgeDeadLettersRequest.getDefaultInstance()), "ids");
    assertViolation(
        () ->
            dlq.replayDeadLetters(
                ReplayDeadLettersRequest.newBuilder().addIds("no-at-sign").build()),
        "ids[0]");
    assertViolation(
        () ->
            dlq.purgeDeadLetters(
                PurgeDeadLettersRequest.newBuilder()
                    .addIds("default/a@1")
                    .setFilter(filter("x"))
                    .build()),
        "filter");
    assertViolation(
        () ->
            dlq.replayDeadLetters(
                ReplayDeadLettersRequest.newBuilder().setFilter(filter("x")).setLimit(-1).build()),
        "limit");
    assertViolation(
        () ->
            dlq.replayDeadLetters(
                ReplayDeadLettersRequest.newBuilder().addIds("default/a@1").setDueMs(-1).build()),
        "due_ms");
    assertViolation(
        () -> dlq.getDeadLetter(GetDeadLetterRequest.newBuilder().setId("").build()), "id");
    // A token of one namespace's listing is refused by another's.
    receiver.answer(() -> 400);
    String t0 = createDue("dlq-tokens", "t0", "/tokens");
    String t1 = createDue("dlq-tokens", "t1", "/tokens");
    awaitStatus(t0, ExecutionStatus.EXECUTION_STATUS_DEAD);
    awaitStatus(t1, ExecutionStatus.EXECUTION_STATUS_DEAD);
    String token =
        dlq.listDeadLetters(list(filter("dlq-tokens")).setPageSize(1).build()).getNextPageToken();
    assertThat(token).isNotEmpty();
    assertViolation(
        () -> dlq.listDeadLetters(list(filter("other")).setPageToken(token).build()), "page_token");
    assertThat(
            dlq.listDeadLetters(list(filter("dlq-tokens")).setPageToken(token).build())
                .getDeadLettersCount())
        .isEqualTo(1);
    String pending =
        createJob(
            Job.newBuilder()
                .setNamespace("dlq-bad")
                .setName("later")
                .setSchedule(Schedule.newBuilder().setAtMs(FAR_MS))
                .setTarget(Target.newBuilder().setUrl(receiver.url("/later")))
                .build());
    assertThat(
            code(() -> dlq.getDeadLetter(GetDeadLetterRequest.newBuilder().setId(pending).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aPausedJobGetsNoNextOccurrenceAndResumeSchedulesItFromNow() {
    receiver.answer(() -> 200);
    long anchor = System.currentTimeMillis() + 1_000;
    Job hourly =
        Job.newBuilder()
            .setNamespace("pausing")
            .setName("hourly")
            .setSchedule(
                Schedule.newBuilder()
                    .setEvery(Every.newBuilder().setIntervalMs(3_600_000).setAnchorMs(anchor)))
            .setTarget(Target.newBuilder().setUrl(receiver.url("/hourly")))
            .build();
    String first = createJob(hourly);

    Job paused =
        jobs.pauseJob(
            PauseJobRequest.newBuilder().setNamespace("pausing").setName("hourly").build());

    assertThat(paused.getState()).isEqualTo(JobState.JOB_STATE_PAUSED);
    assertThat(paused.getPausedReason()).isEqualTo("paused by request");
    assertThat(
            jobs.pauseJob(
                PauseJobRequest.newBuilder().setNamespace("pausing").setName("hourly").build()))
        .as("a repeat changes nothing")
        .isEqualTo(paused);
    awaitStatus(first, ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    Job afterRun = job("pausing", "hourly");
    assertThat(afterRun.getNextFireMs()).as("no occurrence chained while paused").isEqualTo(anchor);

    Job resumed =
        jobs.resumeJob(
            ResumeJobRequest.newBuilder().setNamespace("pausing").setName("hourly").build());

    assertThat(resumed.getState()).isEqualTo(JobState.JOB_STATE_ACTIVE);
    assertThat(resumed.getPausedReason()).isEmpty();
    assertThat(resumed.getNextFireMs()).isEqualTo(anchor + 3_600_000);
    assertThat(get("pausing/hourly@" + (anchor + 3_600_000)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(
            jobs.resumeJob(
                    ResumeJobRequest.newBuilder().setNamespace("pausing").setName("hourly").build())
                .getVersion())
        .as("a repeat changes nothing")
        .isEqualTo(job("pausing", "hourly").getVersion());
    assertThat(
            code(
                () ->
                    jobs.resumeJob(
                        ResumeJobRequest.newBuilder()
                            .setNamespace("pausing")
                            .setName("nope")
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    jobs.pauseJob(
                        PauseJobRequest.newBuilder()
                            .setNamespace("pausing")
                            .setName("nope")
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertViolation(
        () -> jobs.pauseJob(PauseJobRequest.newBuilder().setName("a b").build()), "name");
  }

  private static DeadLetterFilter.Builder filter(String namespace) {
    return DeadLetterFilter.newBuilder().setNamespace(namespace);
  }

  private static ListDeadLettersRequest.Builder list(DeadLetterFilter.Builder filter) {
    return ListDeadLettersRequest.newBuilder().setFilter(filter);
  }

  private static List<String> ids(ListDeadLettersResponse page) {
    return page.getDeadLettersList().stream().map(Execution::getId).toList();
  }

  private static List<Receiver.Delivery> deliveries(String path) {
    return receiver.deliveries().stream().filter(d -> d.path().equals(path)).toList();
  }

  /** Creates a one-shot job due in half a second and returns its execution id. */
  private static String createDue(String namespace, String name, String path) {
    return createJob(
        Job.newBuilder()
            .setNamespace(namespace)
            .setName(name)
            .setSchedule(Schedule.newBuilder().setAtMs(System.currentTimeMillis() + 500))
            .setTarget(Target.newBuilder().setUrl(receiver.url(path)))
            .build());
  }

  private static String createJob(Job job) {
    Job created =
        jobs.withDeadlineAfter(10, TimeUnit.SECONDS)
            .createJob(CreateJobRequest.newBuilder().setJob(job).build());
    return created.getNamespace() + "/" + created.getName() + "@" + created.getNextFireMs();
  }

  private static Job job(String namespace, String name) {
    return jobs.getJob(GetJobRequest.newBuilder().setNamespace(namespace).setName(name).build());
  }

  private static Execution get(String id) {
    return executions
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getExecution(GetExecutionRequest.newBuilder().setId(id).build());
  }

  private static Execution awaitStatus(String id, ExecutionStatus status) {
    await().atMost(Duration.ofSeconds(30)).until(() -> get(id).getStatus() == status);
    return get(id);
  }

  private static Status.Code code(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("call expected to fail").isNotNull();
    return e.getStatus().getCode();
  }

  private static void assertViolation(Runnable call, String field) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("call expected to fail on %s", field).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    List<String> fields = new ArrayList<>();
    for (com.google.protobuf.Any d : StatusProto.fromThrowable(e).getDetailsList()) {
      if (d.is(BadRequest.class)) {
        try {
          d.unpack(BadRequest.class)
              .getFieldViolationsList()
              .forEach(v -> fields.add(v.getField()));
        } catch (com.google.protobuf.InvalidProtocolBufferException x) {
          throw new AssertionError(x);
        }
      }
    }
    assertThat(fields).as(e.getStatus().getDescription()).contains(field);
  }
}
