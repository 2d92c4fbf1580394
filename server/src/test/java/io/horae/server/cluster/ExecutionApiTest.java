package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.CancelExecutionRequest;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionEventKind;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.ListExecutionsResponse;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.api.v1.WatchExecutionsRequest;
import io.horae.server.node.HoraeNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExecutionService on a real 3-node cluster with real HTTP receivers: a cancelled execution is
 * never delivered (pending) or has its attempt aborted (in flight), lists filter and page, reads
 * show who holds an execution, watches follow an execution's life, and bad input is refused with
 * field violations. Calls go to a follower, so writes are forwarded and reads are linearizable.
 */
class ExecutionApiTest {
  private static final long FAR_MS = 4_102_444_800_000L; // 2100-01-01: never fires in a test
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;
  static StallingReceiver stalling;
  static ExecutionServiceGrpc.ExecutionServiceBlockingStub executions;
  static JobServiceGrpc.JobServiceBlockingStub jobs;

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    stalling = new StallingReceiver();
    // Claims 1 s ahead, so an execution due in a few seconds stays PENDING for a while.
    // At most two watch streams per client and node: every channel of the test is one client.
    cluster =
        MiniCluster.start(
            tmp, 3, Map.of("exec.lookahead", "1s", "api.watchStreamsPerClientMax", "2"));
    String follower = cluster.follower().id();
    executions = ExecutionServiceGrpc.newBlockingStub(cluster.channel(follower));
    jobs = JobServiceGrpc.newBlockingStub(cluster.channel(follower));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster, receiver, stalling);
  }

  @Test
  void aCancelledPendingExecutionIsNeverDeliveredWhileItsSiblingDueAtTheSameTimeIs() {
    // Due in 5 s: the cancel lands seconds before it is due, so no owner fires it.
    long at = System.currentTimeMillis() + 5_000;
    String cancelled = create("pending-cancelled", at, receiver.url("/cancelled")).getId();
    String sibling = create("pending-sibling", at, receiver.url("/sibling")).getId();

    Execution after = cancel(cancelled);

    assertThat(after.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    await().atMost(Duration.ofSeconds(30)).until(() -> delivered("/sibling") == 1);
    // Margin without sleeping: a marker due one second after both must be delivered as well,
    // by which time every node has long passed the cancelled execution's due time.
    String marker =
        create("pending-marker", System.currentTimeMillis() + 1_000, receiver.url("/marker"))
            .getId();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(marker).getStatus() == ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(delivered("/cancelled")).isZero();
    assertThat(get(sibling).getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(get(cancelled)).isEqualTo(after);
  }

  @Test
  void anInFlightExecutionThatIsCancelledIsAbortedAndEndsCancelled() {
    Job job =
        job("in-flight", System.currentTimeMillis() + 1_500, stalling.url("/stall")).toBuilder()
            .setTarget(Target.newBuilder().setUrl(stalling.url("/stall")).setTimeoutMs(50_000))
            .build();
    String id = createJob(job).getId();
    await().atMost(Duration.ofSeconds(30)).until(() -> stalling.arrived() == 1);
    Execution held = get(id);
    // In flight, with nothing replicated before the call (DESIGN §6): still pending until a result.
    assertThat(held.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(held.getShardOwner()).isNotEmpty();

    Execution after = cancel(id);

    assertThat(after.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    HoraeNode owner = cluster.node(held.getShardOwner());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> owner.registry().get("horae.deliveries.cancelled").counter().count() >= 1);
    stalling.release();
    // The aborted attempt reports nothing: its outcome stays the cancel, on every replica.
    String marker =
        create("in-flight-marker", System.currentTimeMillis() + 500, receiver.url("/marker2"))
            .getId();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(marker).getStatus() == ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    Execution end = get(id);
    assertThat(end.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    assertThat(end.getAttempt()).isZero();
    assertThat(end.getLastHttpStatus()).isZero();
  }

  @Test
  void getShowsAttemptsLastResponseAndTheShardOwnerOfADeliveredExecution() {
    String id =
        create("get-delivered", System.currentTimeMillis() + 500, receiver.url("/get")).getId();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(id).getStatus() == ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);

    Execution e = get(id);

    assertThat(e.getAttempt()).isEqualTo(1);
    assertThat(e.getLastHttpStatus()).isEqualTo(200);
    assertThat(e.getFinishedMs()).isPositive();
    assertThat(cluster.ids()).contains(e.getShardOwner());
    StatusRuntimeException again =
        catchThrowableOfType(StatusRuntimeException.class, () -> cancel(id));
    assertThat(again.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(again.getStatus().getDescription()).contains("SUCCEEDED");
  }

  @Test
  void cancellingTwiceReturnsTheCancelledExecutionBothTimes() {
    String id = create("twice", FAR_MS, receiver.url("/twice")).getId();
    Execution first = cancel(id);
    Execution second = cancel(id);
    assertThat(second).isEqualTo(first);
    assertThat(second.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
  }

  @Test
  void cancellingARecurringJobsLatestExecutionGivesTheJobItsNextOccurrence() {
    Job every =
        job("hourly", FAR_MS, "http://127.0.0.1:9/x").toBuilder()
            .setSchedule(
                Schedule.newBuilder()
                    .setEvery(
                        io.horae.api.v1.Every.newBuilder()
                            .setIntervalMs(3_600_000)
                            .setAnchorMs(FAR_MS)))
            .build();
    String first = createJob(every).getId();

    cancel(first);

    Job after = jobs.getJob(io.horae.api.v1.GetJobRequest.newBuilder().setName("hourly").build());
    assertThat(after.getNextFireMs()).isEqualTo(FAR_MS + 3_600_000);
    assertThat(get("default/hourly@" + (FAR_MS + 3_600_000)).getStatus())
        .isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(ids(list("default").setJobName("hourly")))
        .containsExactly(first, "default/hourly@" + (FAR_MS + 3_600_000));
  }

  @Test
  void listFiltersByJobStatusAndScheduledTimeAndPagesThroughEveryMatchOnce() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(createIn("listing", "job-" + i, FAR_MS + i * 1000L).getId());
    }
    cancel(ids.get(1));
    cancel(ids.get(3));

    List<String> paged = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListExecutionsResponse page =
          executions.listExecutions(list("listing").setPageSize(2).setPageToken(token).build());
      page.getExecutionsList().forEach(e -> paged.add(e.getId()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertThat(paged).containsExactlyElementsOf(ids);
    assertThat(pages).isEqualTo(3);

    assertThat(ids(list("listing").addStatuses(ExecutionStatus.EXECUTION_STATUS_CANCELLED)))
        .containsExactly(ids.get(1), ids.get(3));
    assertThat(
            ids(
                list("listing")
                    .addStatuses(ExecutionStatus.EXECUTION_STATUS_PENDING)
                    .setScheduledFromMs(FAR_MS + 1000)
                    .setScheduledToMs(FAR_MS + 4000)))
        .containsExactly(ids.get(2));
    assertThat(ids(list("listing").setJobName("job-4"))).containsExactly(ids.get(4));
    assertThat(ids(list("listing").setJobName("missing"))).isEmpty();
  }

  @Test
  void aWatchSeesEveryStateChangeOfItsJobsExecutionInOrder() {
    ConcurrentLinkedQueue<ExecutionEvent> events = new ConcurrentLinkedQueue<>();
    ExecutionServiceGrpc.newStub(cluster.channel(cluster.leader().id()))
        .withDeadlineAfter(60, TimeUnit.SECONDS)
        .watchExecutions(
            WatchExecutionsRequest.newBuilder().setJobName("watched").build(), collect(events));
    await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
    assertThat(events.peek().getKind()).isEqualTo(ExecutionEventKind.EXECUTION_EVENT_KIND_WATCHING);

    String id =
        create("watched", System.currentTimeMillis() + 1_000, receiver.url("/watched")).getId();
    create("not-watched", System.currentTimeMillis() + 1_000, receiver.url("/not-watched"));

    Supplier<List<ExecutionStatus>> statuses =
        () ->
            events.stream()
                .filter(ExecutionEvent::hasExecution)
                .map(e -> e.getExecution().getStatus())
                .toList();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> statuses.get().contains(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED));
    assertThat(statuses.get())
        .containsExactly(
            ExecutionStatus.EXECUTION_STATUS_PENDING, ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    List<ExecutionEvent> changes = events.stream().filter(ExecutionEvent::hasExecution).toList();
    assertThat(changes).allMatch(e -> e.getExecution().getId().equals(id));
    assertThat(changes.get(0).getKind()).isEqualTo(ExecutionEventKind.EXECUTION_EVENT_KIND_CREATED);
    assertThat(changes).extracting(ExecutionEvent::getAppliedIndex).isSorted();
  }

  @Test
  void aClientPastItsWatchStreamsIsRefusedWithResourceExhaustedUntilItClosesOne() {
    // A follower: the watch test above holds a stream on the leader.
    ExecutionServiceGrpc.ExecutionServiceStub stub =
        ExecutionServiceGrpc.newStub(cluster.channel(cluster.follower().id()))
            .withDeadlineAfter(60, TimeUnit.SECONDS);
    List<io.grpc.Context.CancellableContext> open = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      ConcurrentLinkedQueue<ExecutionEvent> events = new ConcurrentLinkedQueue<>();
      io.grpc.Context.CancellableContext context = io.grpc.Context.current().withCancellation();
      context.run(
          () ->
              stub.watchExecutions(
                  WatchExecutionsRequest.newBuilder().setNamespace("client-limit").build(),
                  collect(events)));
      open.add(context);
      await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
    }

    java.util.concurrent.atomic.AtomicReference<Throwable> refused =
        new java.util.concurrent.atomic.AtomicReference<>();
    stub.watchExecutions(
        WatchExecutionsRequest.newBuilder().setNamespace("client-limit").build(), failure(refused));
    await().atMost(Duration.ofSeconds(10)).until(() -> refused.get() != null);
    Status status = Status.fromThrowable(refused.get());
    assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(status.getDescription())
        .contains("already holds 2 watch streams", "api.watchStreamsPerClientMax");

    open.get(0).cancel(null);
    ConcurrentLinkedQueue<ExecutionEvent> again = new ConcurrentLinkedQueue<>();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              java.util.concurrent.atomic.AtomicReference<Throwable> error =
                  new java.util.concurrent.atomic.AtomicReference<>();
              io.grpc.Context.CancellableContext context =
                  io.grpc.Context.current().withCancellation();
              open.add(context);
              context.run(
                  () ->
                      stub.watchExecutions(
                          WatchExecutionsRequest.newBuilder().setNamespace("client-limit").build(),
                          both(again, error)));
              await()
                  .atMost(Duration.ofSeconds(10))
                  .until(() -> !again.isEmpty() || error.get() != null);
              return !again.isEmpty();
            });
    open.forEach(c -> c.cancel(null));
  }

  @Test
  void malformedIdsAndFiltersAreRefusedNamingTheField() {
    for (String bad :
        new String[] {
          "",
          "no-at-sign",
          "default/a@0",
          "default/a@x1",
          "default/a@-5",
          "bad ns/a@1",
          "default/a b@1",
          "default/@1"
        }) {
      assertViolation(
          () -> executions.getExecution(GetExecutionRequest.newBuilder().setId(bad).build()), "id");
      assertViolation(() -> cancel(bad), "id");
    }
    assertViolation(
        () ->
            executions.listExecutions(list("x").setScheduledFromMs(10).setScheduledToMs(5).build()),
        "scheduled_to_ms");
    assertViolation(
        () -> executions.listExecutions(list("x").setScheduledFromMs(-1).build()),
        "scheduled_from_ms");
    assertViolation(
        () -> executions.listExecutions(list("x").addStatusesValue(99).build()), "statuses[0]");
    assertViolation(
        () -> executions.listExecutions(list("x").setPageSize(-1).build()), "page_size");
    assertViolation(
        () -> executions.listExecutions(list("x").setPageToken("garbage!").build()), "page_token");
    assertViolation(
        () -> executions.listExecutions(list("x").setJobName("a b").build()), "job_name");
    assertViolation(() -> executions.listExecutions(list("bad ns").build()), "namespace");
    StatusRuntimeException missing =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                executions.getExecution(
                    GetExecutionRequest.newBuilder().setId("default/nope@1").build()));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            catchThrowableOfType(StatusRuntimeException.class, () -> cancel("default/nope@1"))
                .getStatus()
                .getCode())
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aPageTokenOfAnotherListingIsRefused() {
    for (int i = 0; i < 3; i++) {
      createIn("tokens", "t" + i, FAR_MS);
    }
    String token =
        executions.listExecutions(list("tokens").setPageSize(1).build()).getNextPageToken();
    assertThat(token).isNotEmpty();
    assertViolation(
        () -> executions.listExecutions(list("other").setPageToken(token).build()), "page_token");
  }

  private static void assertViolation(Runnable call, String field) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("call expected to fail on %s", field).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    List<String> fields = new ArrayList<>();
    for (com.google.protobuf.Any d : details.getDetailsList()) {
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

  private static StreamObserver<ExecutionEvent> failure(
      java.util.concurrent.atomic.AtomicReference<Throwable> error) {
    return both(new ConcurrentLinkedQueue<>(), error);
  }

  private static StreamObserver<ExecutionEvent> both(
      ConcurrentLinkedQueue<ExecutionEvent> into,
      java.util.concurrent.atomic.AtomicReference<Throwable> error) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ExecutionEvent value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {
        error.set(t);
      }

      @Override
      public void onCompleted() {}
    };
  }

  /** A watch observer that keeps every event in {@code into}; errors end the stream silently. */
  static StreamObserver<ExecutionEvent> collect(ConcurrentLinkedQueue<ExecutionEvent> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ExecutionEvent value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  private static List<String> ids(ListExecutionsRequest.Builder request) {
    return executions.listExecutions(request.build()).getExecutionsList().stream()
        .map(Execution::getId)
        .toList();
  }

  private static ListExecutionsRequest.Builder list(String namespace) {
    return ListExecutionsRequest.newBuilder().setNamespace(namespace);
  }

  private static long delivered(String path) {
    return receiver.deliveries().stream().filter(d -> d.path().equals(path)).count();
  }

  private static Execution get(String id) {
    return executions
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getExecution(GetExecutionRequest.newBuilder().setId(id).build());
  }

  private static Execution cancel(String id) {
    return executions
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .cancelExecution(CancelExecutionRequest.newBuilder().setId(id).build());
  }

  private static Job job(String name, long atMs, String url) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAtMs(atMs))
        .setTarget(Target.newBuilder().setUrl(url))
        .build();
  }

  /** Creates a one-shot job and returns its (first and only) execution. */
  private static Execution create(String name, long atMs, String url) {
    return createJob(job(name, atMs, url));
  }

  private static Execution createIn(String namespace, String name, long atMs) {
    return createJob(
        job(name, atMs, "http://127.0.0.1:9/x").toBuilder().setNamespace(namespace).build());
  }

  private static Execution createJob(Job job) {
    Job created =
        jobs.withDeadlineAfter(10, TimeUnit.SECONDS)
            .createJob(CreateJobRequest.newBuilder().setJob(job).build());
    return get(created.getNamespace() + "/" + created.getName() + "@" + created.getNextFireMs());
  }
}
