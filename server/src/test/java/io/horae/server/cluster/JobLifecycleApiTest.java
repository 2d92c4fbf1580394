package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.FieldMask;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Every;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.ExecutionTrigger;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Header;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.JobState;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.PauseJobRequest;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.api.v1.TriggerJobRequest;
import io.horae.api.v1.UpdateJobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UpdateJob, TriggerJob, label filters and history retention through a real 3-node cluster, with
 * deliveries to a real receiver: what the caller sees and what the target receives.
 */
class JobLifecycleApiTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;
  static JobServiceGrpc.JobServiceBlockingStub jobs;
  static ExecutionServiceGrpc.ExecutionServiceBlockingStub executions;

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    Path keyFile = tmp.resolve("cluster.key");
    java.nio.file.Files.writeString(
        keyFile, io.horae.server.secret.ClusterKey.generate(new java.security.SecureRandom()));
    cluster =
        MiniCluster.start(
            tmp.resolve("nodes"),
            3,
            Map.of(
                "retention.historyTtl",
                "3s",
                "retention.sweepInterval",
                "1s",
                "secrets.keyFile",
                keyFile.toString()));
    cluster.awaitLeases();
    jobs = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.follower().id()));
    executions = ExecutionServiceGrpc.newBlockingStub(cluster.channel(cluster.follower().id()));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster, receiver);
  }

  @Test
  void anUpdatedScheduleTakesEffectAtOnceAndTheOldScheduleNeverFiresAgain() {
    Job created = jobs.createJob(create(job("resched", "/resched").setSchedule(every(3_600_000))));
    String oldNext = "default/resched@" + created.getNextFireMs();

    Job updated =
        jobs.updateJob(update(job("resched", "/resched").setSchedule(every(1_000)), 0, "schedule"));

    assertThat(updated.getVersion()).isEqualTo(2);
    assertThat(updated.getNextFireMs()).isLessThan(created.getNextFireMs());
    Execution old =
        executions.getExecution(GetExecutionRequest.newBuilder().setId(oldNext).build());
    assertThat(old.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
    assertThat(old.getReason()).isEqualTo("rescheduled by update to version 2");
    await().atMost(Duration.ofSeconds(20)).until(() -> deliveredTo("/resched") >= 3);
    assertThat(receiver.deliveries())
        .filteredOn(d -> d.path().equals("/resched"))
        .noneMatch(d -> d.idempotencyKey().equals(oldNext));
  }

  @Test
  void anUpdateWithAStaleVersionIsFailedPreconditionNamingTheCurrentVersionAndChangesNothing() {
    jobs.createJob(create(job("cas", "/cas")));
    jobs.updateJob(update(job("cas", "/cas").setPriority(2), 1, "priority"));

    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> jobs.updateJob(update(job("cas", "/cas").setPriority(3), 1, "priority")));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).contains("version 2");
    assertThat(detail(e, ErrorInfo.class).getMetadataMap()).containsEntry("current_version", "2");
    assertThat(get("cas").getPriority()).isEqualTo(2);
  }

  @Test
  void anUpdateNamesABadFieldOrPathAndWritesNothing() {
    jobs.createJob(create(job("bad-update", "/bad")));

    StatusRuntimeException path =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> jobs.updateJob(update(job("bad-update", "/bad"), 0, "state")));
    StatusRuntimeException label =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                jobs.updateJob(
                    update(job("bad-update", "/bad").putLabels("bad key", "x"), 0, "labels")));

    assertThat(detail(path, BadRequest.class).getFieldViolations(0).getField())
        .isEqualTo("update_mask");
    assertThat(detail(label, BadRequest.class).getFieldViolations(0).getField())
        .isEqualTo("job.labels");
    assertThat(get("bad-update").getVersion()).isEqualTo(1);
  }

  @Test
  void anUpdateOfTheTargetKeepsASecretHeaderSentEmptyAndDeliversToTheNewUrl() {
    Job.Builder withSecret = job("secret-keep", "/old").setSchedule(every(3_600_000));
    withSecret
        .getTargetBuilder()
        .addHeaders(Header.newBuilder().setName("Authorization").setValue("Bearer keep-me"));
    jobs.createJob(create(withSecret));
    Job read = get("secret-keep");
    Job.Builder edited = read.toBuilder();
    edited.getTargetBuilder().setUrl(receiver.url("/new"));

    jobs.updateJob(update(edited, read.getVersion(), "target"));
    jobs.triggerJob(TriggerJobRequest.newBuilder().setName("secret-keep").build());

    await().atMost(Duration.ofSeconds(20)).until(() -> deliveredTo("/new") == 1);
    assertThat(receiver.requests())
        .anyMatch(r -> "Bearer keep-me".equals(r.header("Authorization")));
  }

  @Test
  void aManualRunIsDeliveredUnderItsOwnIdMarkedManualAndAPausedJobCanBeRun() {
    jobs.createJob(create(job("run-now", "/run-now").setSchedule(every(3_600_000))));
    jobs.pauseJob(PauseJobRequest.newBuilder().setName("run-now").build());

    Execution run = jobs.triggerJob(TriggerJobRequest.newBuilder().setName("run-now").build());

    assertThat(run.getTrigger()).isEqualTo(ExecutionTrigger.EXECUTION_TRIGGER_MANUAL);
    assertThat(run.getId()).endsWith(".m");
    await().atMost(Duration.ofSeconds(20)).until(() -> deliveredTo("/run-now") == 1);
    assertThat(receiver.deliveries())
        .filteredOn(d -> d.path().equals("/run-now"))
        .extracting(Receiver.Delivery::idempotencyKey)
        .containsExactly(run.getId());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                executions
                        .getExecution(GetExecutionRequest.newBuilder().setId(run.getId()).build())
                        .getStatus()
                    == ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(get("run-now").getState()).isEqualTo(JobState.JOB_STATE_PAUSED);
  }

  @Test
  void listJobsFiltersByLabelSelectorStateAndNamePrefixAcrossPages() {
    for (int i = 0; i < 6; i++) {
      Job.Builder j =
          job("lbl-" + i, "/lbl")
              .putLabels("team", i % 2 == 0 ? "pay" : "ops")
              .putLabels("env", i < 3 ? "dev" : "prod");
      jobs.createJob(create(j));
    }
    jobs.createJob(create(job("other-0", "/lbl").putLabels("team", "pay")));
    jobs.pauseJob(PauseJobRequest.newBuilder().setName("lbl-4").build());

    assertThat(
            names(
                ListJobsRequest.newBuilder()
                    .setLabelSelector("team=pay,env!=dev")
                    .setNamePrefix("lbl-")))
        .containsExactly("lbl-4");
    assertThat(names(ListJobsRequest.newBuilder().setLabelSelector("team==pay")))
        .containsExactly("lbl-0", "lbl-2", "lbl-4", "other-0");
    assertThat(names(ListJobsRequest.newBuilder().setLabelSelector("!env,team")))
        .containsExactly("other-0");
    assertThat(
            names(
                ListJobsRequest.newBuilder()
                    .setNamePrefix("lbl-")
                    .addStates(JobState.JOB_STATE_PAUSED)))
        .containsExactly("lbl-4");
    assertThat(names(ListJobsRequest.newBuilder().setLabelSelector("env in (prod, qa),team=pay")))
        .containsExactly("lbl-4");
    assertThat(
            names(
                ListJobsRequest.newBuilder()
                    .setLabelSelector("env notin (dev)")
                    .setNamePrefix("lbl-")))
        .containsExactly("lbl-3", "lbl-4", "lbl-5");
    assertThat(names(ListJobsRequest.newBuilder().setLabelSelector("env notin (dev,prod)")))
        .as("notin holds for an absent key")
        .contains("other-0");
    StatusRuntimeException unclosed =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                jobs.listJobs(
                    ListJobsRequest.newBuilder().setLabelSelector("env in (dev").build()));
    assertThat(unclosed.getStatus().getDescription()).contains("unclosed parenthesis");
    StatusRuntimeException bad =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                jobs.listJobs(
                    ListJobsRequest.newBuilder().setLabelSelector("team=in valid").build()));
    assertThat(detail(bad, BadRequest.class).getFieldViolations(0).getField())
        .isEqualTo("label_selector");
  }

  @Test
  void finishedExecutionsOlderThanTheHistoryTtlAreRemovedAndTheJobCountsWhatIsKept() {
    Execution run = null;
    jobs.createJob(create(job("ttl", "/ttl").setSchedule(every(3_600_000))));
    run = jobs.triggerJob(TriggerJobRequest.newBuilder().setName("ttl").build());
    String id = run.getId();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                executions
                        .getExecution(GetExecutionRequest.newBuilder().setId(id).build())
                        .getStatus()
                    == ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
    assertThat(get("ttl").getHistorySize()).isEqualTo(1);

    await().atMost(Duration.ofSeconds(20)).until(() -> notFound(id));
    assertThat(get("ttl").getHistorySize()).isZero();
  }

  @Test
  void occurrencesMissedWhilePausedAreSkippedUnderTheSkipPolicyAndRecordedWithTheReason() {
    Job.Builder j =
        job("missed", "/missed")
            .setSchedule(every(1_000))
            .setMisfirePolicy(io.horae.api.v1.MisfirePolicy.MISFIRE_POLICY_SKIP)
            .setMisfireGraceMs(1);
    jobs.createJob(create(j));
    await().atMost(Duration.ofSeconds(20)).until(() -> deliveredTo("/missed") >= 1);
    jobs.pauseJob(PauseJobRequest.newBuilder().setName("missed").build());
    long pausedAt = System.currentTimeMillis();
    // The paused job's current occurrence still runs; wait until it has, and three more seconds.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get("missed").getNextFireMs() < System.currentTimeMillis() - 3_000
                    && System.currentTimeMillis() > pausedAt + 3_000);
    long deliveredBefore = deliveredTo("/missed");

    Job resumed =
        jobs.resumeJob(io.horae.api.v1.ResumeJobRequest.newBuilder().setName("missed").build());

    assertThat(resumed.getNextFireMs()).isGreaterThan(System.currentTimeMillis() - 1_000);
    List<Execution> skipped =
        executions
            .listExecutions(
                io.horae.api.v1.ListExecutionsRequest.newBuilder()
                    .setJobName("missed")
                    .addStatuses(ExecutionStatus.EXECUTION_STATUS_SKIPPED)
                    .build())
            .getExecutionsList();
    assertThat(skipped).hasSize(1);
    assertThat(skipped.get(0).getReason())
        .startsWith("misfire policy SKIP: ")
        .contains("not fired");
    assertThat(deliveredTo("/missed"))
        .as("nothing missed was sent on resume")
        .isEqualTo(deliveredBefore);
  }

  @Test
  void aFollowerRunsOnceAfterEachSuccessOfItsJobUnderAnIdDerivedFromItsAndNeverAfterAFailure() {
    jobs.createJob(create(job("chain-a", "/chain-a").setSchedule(every(3_600_000))));
    jobs.createJob(create(job("chain-b", "/chain-b").clearSchedule().setAfter("chain-a")));
    Job.Builder failing =
        job("chain-bad", "/chain-bad")
            .setSchedule(every(3_600_000))
            .setRetry(io.horae.api.v1.RetryPolicy.newBuilder().setMaxAttempts(1));
    failing.getTargetBuilder().setUrl("http://127.0.0.1:9/refused");
    jobs.createJob(create(failing));
    jobs.createJob(create(job("chain-c", "/chain-c").clearSchedule().setAfter("chain-bad")));
    String bad =
        jobs.triggerJob(TriggerJobRequest.newBuilder().setName("chain-bad").build()).getId();

    Execution a = jobs.triggerJob(TriggerJobRequest.newBuilder().setName("chain-a").build());

    await().atMost(Duration.ofSeconds(20)).until(() -> deliveredTo("/chain-b") == 1);
    assertThat(receiver.deliveries())
        .filteredOn(d -> d.path().equals("/chain-b"))
        .extracting(Receiver.Delivery::idempotencyKey)
        .containsExactly(
            "default/chain-b@" + a.getId().substring(a.getId().indexOf('@') + 1) + ".c");
    StatusRuntimeException cycle =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                jobs.updateJob(
                    update(
                        job("chain-a", "/chain-a").clearSchedule().setAfter("chain-b"),
                        0,
                        "after",
                        "schedule")));
    assertThat(detail(cycle, BadRequest.class).getFieldViolations(0).getField())
        .isEqualTo("job.after");
    assertThat(cycle.getStatus().getDescription()).contains("cycle");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                executions
                        .getExecution(GetExecutionRequest.newBuilder().setId(bad).build())
                        .getStatus()
                    == ExecutionStatus.EXECUTION_STATUS_DEAD);
    assertThat(
            executions
                .listExecutions(
                    io.horae.api.v1.ListExecutionsRequest.newBuilder()
                        .setJobName("chain-c")
                        .build())
                .getExecutionsList())
        .as("a failure starts no follower")
        .isEmpty();
  }

  @Test
  void anOccurrenceDueWhileAnotherRetriesIsSkippedUnderSkipAndSentUnderAllow() {
    for (String name : List.of("ovl-skip", "ovl-allow")) {
      Job.Builder j =
          job(name, "/x")
              .setSchedule(every(1_000))
              .setRetry(
                  io.horae.api.v1.RetryPolicy.newBuilder()
                      .setMaxAttempts(5)
                      .setInitialBackoffMs(30_000)
                      .setMaxBackoffMs(30_000));
      j.getTargetBuilder().setUrl("http://127.0.0.1:9/refused");
      if (name.equals("ovl-allow")) {
        j.setOverlapPolicy(io.horae.api.v1.OverlapPolicy.OVERLAP_POLICY_ALLOW);
      }
      jobs.createJob(create(j));
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !withStatus("ovl-skip", ExecutionStatus.EXECUTION_STATUS_SKIPPED).isEmpty());
    Execution skipped = withStatus("ovl-skip", ExecutionStatus.EXECUTION_STATUS_SKIPPED).get(0);
    assertThat(skipped.getReason())
        .matches("overlap policy SKIP: default/ovl-skip@\\d+ is still running");
    assertThat(skipped.getAttempt()).as("not sent").isZero();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> withStatus("ovl-allow", ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT).size() >= 2);
    assertThat(withStatus("ovl-allow", ExecutionStatus.EXECUTION_STATUS_SKIPPED)).isEmpty();
    jobs.deleteJob(io.horae.api.v1.DeleteJobRequest.newBuilder().setName("ovl-skip").build());
    jobs.deleteJob(io.horae.api.v1.DeleteJobRequest.newBuilder().setName("ovl-allow").build());
  }

  @Test
  void underQueueARunWaitsForTheRunningOneAndAThirdIsSkipped() {
    Job.Builder j =
        job("ovl-queue", "/ovl-queue")
            .setSchedule(every(3_600_000))
            .setOverlapPolicy(io.horae.api.v1.OverlapPolicy.OVERLAP_POLICY_QUEUE);
    jobs.createJob(create(j));
    java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    receiver.hold("/ovl-queue", gate, 10_000);
    Execution first = jobs.triggerJob(TriggerJobRequest.newBuilder().setName("ovl-queue").build());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                receiver.arrivals().stream()
                    .anyMatch(d -> d.idempotencyKey().equals(first.getId())));

    Execution second = jobs.triggerJob(TriggerJobRequest.newBuilder().setName("ovl-queue").build());
    Execution third = jobs.triggerJob(TriggerJobRequest.newBuilder().setName("ovl-queue").build());

    assertThat(second.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_PENDING);
    assertThat(third.getStatus()).isEqualTo(ExecutionStatus.EXECUTION_STATUS_SKIPPED);
    assertThat(third.getReason())
        .isEqualTo(
            "overlap policy QUEUE: " + second.getId() + " is already waiting for " + first.getId());
    await("the second waits while the first runs")
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                receiver.arrivals().stream()
                    .noneMatch(d -> d.idempotencyKey().equals(second.getId())));
    gate.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> deliveredTo("/ovl-queue") == 2);
  }

  private List<Execution> withStatus(String job, ExecutionStatus status) {
    return executions
        .listExecutions(
            io.horae.api.v1.ListExecutionsRequest.newBuilder()
                .setJobName(job)
                .addStatuses(status)
                .build())
        .getExecutionsList();
  }

  private boolean notFound(String id) {
    try {
      executions.getExecution(GetExecutionRequest.newBuilder().setId(id).build());
      return false;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.NOT_FOUND;
    }
  }

  private static List<String> names(ListJobsRequest.Builder request) {
    List<String> out = new ArrayList<>();
    String token = "";
    do {
      ListJobsResponse page = jobs.listJobs(request.setPageSize(2).setPageToken(token).build());
      page.getJobsList().forEach(j -> out.add(j.getName()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return out;
  }

  private static long deliveredTo(String path) {
    return receiver.deliveries().stream().filter(d -> d.path().equals(path)).count();
  }

  private static Job get(String name) {
    return jobs.getJob(GetJobRequest.newBuilder().setName(name).build());
  }

  private static <T extends com.google.protobuf.Message> T detail(
      StatusRuntimeException e, Class<T> type) {
    try {
      for (com.google.protobuf.Any any : StatusProto.fromThrowable(e).getDetailsList()) {
        if (any.is(type)) {
          return any.unpack(type);
        }
      }
    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
      throw new AssertionError(x);
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + e);
  }

  private static Job.Builder job(String name, String path) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAfterMs(3_600_000))
        .setTarget(Target.newBuilder().setUrl(receiver.url(path)));
  }

  private static Schedule every(long ms) {
    return Schedule.newBuilder().setEvery(Every.newBuilder().setIntervalMs(ms)).build();
  }

  private static CreateJobRequest create(Job.Builder job) {
    return CreateJobRequest.newBuilder().setJob(job).build();
  }

  private static UpdateJobRequest update(Job.Builder job, long expectedVersion, String... paths) {
    return UpdateJobRequest.newBuilder()
        .setJob(job)
        .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths)))
        .setExpectedVersion(expectedVersion)
        .build();
  }
}
