package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Cron;
import io.horae.api.v1.DeleteJobRequest;
import io.horae.api.v1.DeleteJobResponse;
import io.horae.api.v1.Every;
import io.horae.api.v1.Execution;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.api.v1.TriggerJobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API's contract at the edge: bad input is refused with INVALID_ARGUMENT and field
 * violations and writes nothing; duplicates and retries behave; any node answers any call.
 */
class JobApiTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static JobServiceGrpc.JobServiceBlockingStub follower;
  static JobServiceGrpc.JobServiceBlockingStub leader;

  @BeforeAll
  static void start() throws Exception {
    cluster = MiniCluster.start(tmp, 3, Map.of());
    follower = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.follower().id()));
    leader = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.leader().id()));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster);
  }

  static Job.Builder valid(String name) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAfterMs(3_600_000))
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook"));
  }

  @Test
  void aJobIsReadableOnEveryNodeAsSoonAsItsCreateIsAcknowledged() {
    List<String> ids = cluster.ids();
    java.util.Map<String, Double> localBefore = new java.util.HashMap<>();
    java.util.Map<String, Double> clientBefore = new java.util.HashMap<>();
    for (String id : ids) {
      localBefore.put(id, reads(id, "local"));
      clientBefore.put(id, reads(id, "client"));
    }
    for (int i = 0; i < 60; i++) {
      String via = ids.get(i % ids.size());
      String name = "read-after-" + i;
      JobServiceGrpc.newBlockingStub(cluster.channel(via))
          .createJob(CreateJobRequest.newBuilder().setJob(valid(name)).build());
      for (String on : ids) {
        // A linearizable read: NOT_FOUND here would be a stale read of a lagging replica.
        Job got =
            JobServiceGrpc.newBlockingStub(cluster.channel(on))
                .getJob(GetJobRequest.newBuilder().setName(name).build());
        assertThat(got.getName()).as("job created via %s, read on %s", via, on).isEqualTo(name);
      }
    }
    // Each node answered its reads in process, none through its Raft client's loopback call.
    for (String id : ids) {
      assertThat(reads(id, "local") - localBefore.get(id))
          .as("reads %s answered in process", id)
          .isGreaterThanOrEqualTo(60);
      assertThat(reads(id, "client") - clientBefore.get(id))
          .as("reads %s sent through its Raft client", id)
          .isZero();
    }
  }

  private static double reads(String node, String path) {
    return cluster
        .node(node)
        .registry()
        .get("horae.raft.reads")
        .tag("path", path)
        .counter()
        .count();
  }

  @Test
  void eachKindOfBadInputIsRefusedNamingItsFieldAndNothingIsWritten() {
    assertViolation(j -> j.getTargetBuilder().setUrl("not a url"), "job.target.url");
    assertViolation(j -> j.getTargetBuilder().setUrl("ftp://127.0.0.1/x"), "job.target.url");
    assertViolation(j -> j.clearTarget(), "job.target");
    assertViolation(
        j ->
            j.setSchedule(
                Schedule.newBuilder().setCron(Cron.newBuilder().setExpression("61 * * * *"))),
        "job.schedule.cron.expression");
    assertViolation(
        j ->
            j.setSchedule(
                Schedule.newBuilder()
                    .setCron(
                        Cron.newBuilder().setExpression("0 9 * * *").setTimeZone("Mars/Olympus"))),
        "job.schedule.cron.time_zone");
    assertViolation(
        j ->
            j.setSchedule(
                Schedule.newBuilder()
                    .setCron(Cron.newBuilder().setExpression("30 2 * * *").setDstGapValue(5))),
        "job.schedule.cron.dst_gap");
    assertViolation(
        j -> j.setSchedule(Schedule.newBuilder().setAtMs(System.currentTimeMillis() - 3_600_000)),
        "job.schedule.at_ms");
    assertViolation(
        j -> j.setSchedule(Schedule.newBuilder().setEvery(Every.newBuilder().setIntervalMs(0))),
        "job.schedule.every.interval_ms");
    assertViolation(
        j -> j.setSchedule(Schedule.newBuilder().setEvery(Every.newBuilder().setIntervalMs(-5))),
        "job.schedule.every.interval_ms");
    assertViolation(j -> j.clearSchedule(), "job.schedule");
    assertViolation(
        j -> j.getTargetBuilder().setBody(ByteString.copyFrom(new byte[65 * 1024])),
        "job.target.body");
    assertViolation(
        j -> {
          for (int i = 0; i < 40; i++) {
            j.getTargetBuilder().addHeaders(Header.newBuilder().setName("X-H" + i).setValue("v"));
          }
        },
        "job.target.headers");
    assertViolation(
        j ->
            j.getTargetBuilder()
                .addHeaders(Header.newBuilder().setName("X-Big").setValue("x".repeat(9000))),
        "job.target.headers");
    assertViolation(j -> j.setName("has space"), "job.name");
    assertViolation(j -> j.getRetryBuilder().setMultiplier(0.5), "job.retry.multiplier");
    assertViolation(j -> j.getRetryBuilder().setRetryDeadlineMs(-1), "job.retry.retry_deadline_ms");
    assertViolation(j -> j.getRetryBuilder().addRetryStatuses(200), "job.retry.retry_statuses[0]");
    assertViolation(j -> j.getRetryBuilder().addRetryStatuses(410), "job.retry.retry_statuses[0]");
    assertViolation(
        j -> j.getTargetBuilder().setTimeoutMs(1_000).setConnectTimeoutMs(2_000),
        "job.target.connect_timeout_ms");
    assertViolation(
        j -> j.setTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
        "job.traceparent");

    ListJobsResponse all =
        follower.listJobs(ListJobsRequest.newBuilder().setPageSize(1000).build());
    assertThat(all.getJobsList()).noneMatch(j -> j.getName().startsWith("bad-"));
  }

  @Test
  void aViolationNeverEchoesAHeaderValue() {
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                follower.createJob(
                    request(
                        valid("bad-secret")
                            .setTarget(
                                Target.newBuilder()
                                    .setUrl("http://127.0.0.1:9/x")
                                    .addHeaders(
                                        Header.newBuilder()
                                            .setName("Authorization")
                                            .setValue("Bearer s3cret\nx"))))));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.toString()).doesNotContain("s3cret");
  }

  @Test
  void aDuplicateNameIsAlreadyExistsAndARetriedRequestIdReturnsTheFirstJob() {
    Job first =
        follower.createJob(
            CreateJobRequest.newBuilder().setJob(valid("dup")).setRequestId("r-1").build());
    Job again =
        leader.createJob(
            CreateJobRequest.newBuilder().setJob(valid("dup")).setRequestId("r-1").build());
    assertThat(again).isEqualTo(first);
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> follower.createJob(CreateJobRequest.newBuilder().setJob(valid("dup")).build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  @Test
  void aDeleteOrManualRunRepeatedWithItsRequestIdGetsTheFirstAnswerAndHappensOnce() {
    cluster.awaitAllApply(io.horae.statemachine.core.OpVersions.REQUEST_IDS);
    follower.createJob(request(valid("repeat-run")));
    TriggerJobRequest run =
        TriggerJobRequest.newBuilder().setName("repeat-run").setRequestId("run-1").build();
    Execution first = follower.triggerJob(run);
    Execution again = leader.triggerJob(run);
    assertThat(again.getId()).isEqualTo(first.getId());
    Execution other = follower.triggerJob(run.toBuilder().setRequestId("run-2").build());
    assertThat(other.getId()).as("another id is another run").isNotEqualTo(first.getId());

    DeleteJobRequest delete =
        DeleteJobRequest.newBuilder().setName("repeat-run").setRequestId("del-1").build();
    DeleteJobResponse deleted = follower.deleteJob(delete);
    assertThat(deleted.getCancelledExecutions()).isPositive();
    assertThat(leader.deleteJob(delete))
        .as("not NOT_FOUND: the job was deleted by this very request")
        .isEqualTo(deleted);
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> follower.deleteJob(delete.toBuilder().setRequestId("del-2").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aRequestIdLongerThan128CharactersIsInvalidArgumentOnRequestIdForEveryWrite() {
    follower.createJob(request(valid("long-id")));
    String tooLong = "r".repeat(129);
    List<Runnable> calls =
        List.of(
            () ->
                follower.deleteJob(
                    DeleteJobRequest.newBuilder().setName("long-id").setRequestId(tooLong).build()),
            () ->
                follower.triggerJob(
                    TriggerJobRequest.newBuilder()
                        .setName("long-id")
                        .setRequestId(tooLong)
                        .build()),
            () ->
                follower.updateJob(
                    io.horae.api.v1.UpdateJobRequest.newBuilder()
                        .setJob(Job.newBuilder().setName("long-id").setPriority(3))
                        .setUpdateMask(
                            com.google.protobuf.FieldMask.newBuilder().addPaths("priority"))
                        .setRequestId(tooLong)
                        .build()));
    for (Runnable call : calls) {
      StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
      assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(violatedFields(e)).containsExactly("request_id");
    }
    Job stored = follower.getJob(GetJobRequest.newBuilder().setName("long-id").build());
    assertThat(stored.getVersion()).as("nothing was written").isEqualTo(1);
  }

  @Test
  void aRequestIdReusedForAnotherJobIsInvalidArgumentOnRequestIdAndCreatesNothing() {
    follower.createJob(
        CreateJobRequest.newBuilder().setJob(valid("reuse-a")).setRequestId("r-reuse").build());

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                leader.createJob(
                    CreateJobRequest.newBuilder()
                        .setJob(valid("reuse-b"))
                        .setRequestId("r-reuse")
                        .build()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).contains("default/reuse-a");
    StatusRuntimeException missing =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                follower.getJob(
                    io.horae.api.v1.GetJobRequest.newBuilder().setName("reuse-b").build()));
    assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aRetriedRequestIdReturnsTheFirstJobEvenAfterItsTimeNoLongerValidates() {
    // Due 4.5 s ago: inside the 5 s past tolerance now, outside it for the retry below (the
    // first answer was "lost"; bench and chaos clients retry like this after a failover).
    long atMs = System.currentTimeMillis() - 4_500;
    Job.Builder job = valid("late-retry").setSchedule(Schedule.newBuilder().setAtMs(atMs));
    Job first =
        follower.createJob(
            CreateJobRequest.newBuilder().setJob(job).setRequestId("late-1").build());
    await().atMost(Duration.ofSeconds(10)).until(() -> System.currentTimeMillis() > atMs + 5_200);

    Job again =
        follower.createJob(
            CreateJobRequest.newBuilder().setJob(job).setRequestId("late-1").build());
    Job viaLeader =
        leader.createJob(CreateJobRequest.newBuilder().setJob(job).setRequestId("late-1").build());

    assertThat(again).isEqualTo(first);
    assertThat(viaLeader).isEqualTo(first);
    StatusRuntimeException fresh =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                follower.createJob(
                    CreateJobRequest.newBuilder()
                        .setJob(job.setName("late-other"))
                        .setRequestId("late-2")
                        .build()));
    assertThat(fresh.getStatus().getCode())
        .as("a new request id is still validated")
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aJobCreatedThroughAFollowerCanBeReadListedAndDeletedThroughAnyNode() {
    Job created = follower.createJob(request(valid("crud")));
    assertThat(created.getVersion()).isEqualTo(1);
    assertThat(created.getSchedule().hasAtMs()).as("'after' is stored as 'at'").isTrue();
    assertThat(leader.getJob(GetJobRequest.newBuilder().setName("crud").build()))
        .isEqualTo(created);
    assertThat(follower.getJob(GetJobRequest.newBuilder().setName("crud").build()))
        .isEqualTo(created);

    assertThat(
            leader
                .deleteJob(DeleteJobRequest.newBuilder().setName("crud").build())
                .getCancelledExecutions())
        .isEqualTo(1);
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> follower.getJob(GetJobRequest.newBuilder().setName("crud").build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void listingPagesThroughEveryJobOfANamespaceOnce() {
    for (int i = 0; i < 25; i++) {
      follower.createJob(request(valid(String.format("p-%02d", i)).setNamespace("paging")));
    }
    List<String> names = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListJobsResponse page =
          follower.listJobs(
              ListJobsRequest.newBuilder()
                  .setNamespace("paging")
                  .setPageSize(10)
                  .setPageToken(token)
                  .build());
      page.getJobsList().forEach(j -> names.add(j.getName()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertThat(pages).isEqualTo(3);
    assertThat(names).hasSize(25).doesNotHaveDuplicates().isSorted();
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                follower.listJobs(
                    ListJobsRequest.newBuilder()
                        .setNamespace("paging")
                        .setPageToken("garbage!")
                        .build()));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void clusterStatusFromAFollowerShowsEveryNodeTheLeaderAndTheShardOwners() {
    ClusterStatus s =
        ClusterServiceGrpc.newBlockingStub(cluster.channel(cluster.follower().id()))
            .getStatus(GetStatusRequest.getDefaultInstance());
    assertThat(s.getNodesList())
        .hasSize(3)
        .allMatch(n -> n.getReachable() && n.getAppliedIndex() > 0 && n.getCommitIndex() > 0);
    assertThat(s.getLeaderId()).isEqualTo(cluster.leader().id());
    assertThat(s.getShardCount()).isEqualTo(64);
    assertThat(s.getShardOwnersList())
        .extracting(o -> o.getNodeId())
        .containsOnly("n1", "n2", "n3");
    assertThat(s.getNodesList()).allMatch(n -> n.getShardsOwned() >= 21);
  }

  private static CreateJobRequest request(Job.Builder job) {
    return CreateJobRequest.newBuilder().setJob(job).build();
  }

  private static void assertViolation(Consumer<Job.Builder> breakIt, String field) {
    Job.Builder job = valid("bad-" + field.replaceAll("[^a-z]", ""));
    breakIt.accept(job);
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> follower.createJob(request(job)));
    assertThat(e).as("create with bad %s", field).isNotNull();
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(violatedFields(e)).as("violations for bad %s", field).contains(field);
  }

  private static List<String> violatedFields(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    List<String> fields = new ArrayList<>();
    for (com.google.protobuf.Any any : status.getDetailsList()) {
      if (any.is(BadRequest.class)) {
        try {
          any.unpack(BadRequest.class)
              .getFieldViolationsList()
              .forEach(v -> fields.add(v.getField()));
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    return fields;
  }
}
