package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Any;
import com.google.rpc.QuotaFailure;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListNamespacesRequest;
import io.horae.api.v1.NamespaceInfo;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.api.v1.TriggerJobRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Namespace quotas: past one, RESOURCE_EXHAUSTED with QuotaFailure and RetryInfo, and nothing
 * written.
 */
class QuotaTest {
  @TempDir static Path tmp;
  static MiniCluster cluster;
  static JobServiceGrpc.JobServiceBlockingStub jobs;

  @BeforeAll
  static void start() throws Exception {
    cluster =
        MiniCluster.start(
            tmp, 1, Map.of("quota.namespaces", "tiny:jobs=3,tiny:pending=2,slow:rate=5"));
    jobs = JobServiceGrpc.newBlockingStub(cluster.channel(cluster.ids().get(0)));
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster);
  }

  @Test
  void aNamespaceAtItsJobsOrLiveExecutionsQuotaIsRefusedWithQuotaFailureAndNothingIsWritten() {
    jobs.createJob(create("tiny", "a", inOneHour()));
    jobs.createJob(create("tiny", "b", inOneHour()));

    StatusRuntimeException pending =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> jobs.createJob(create("tiny", "c", inOneHour())));
    assertThat(pending.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(detail(pending, QuotaFailure.class).getViolations(0).getDescription())
        .contains("2 live executions", "quota.pendingMax");
    assertThat(detail(pending, RetryInfo.class).getRetryDelay().getSeconds()).isPositive();
    StatusRuntimeException manual =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                jobs.triggerJob(
                    TriggerJobRequest.newBuilder().setNamespace("tiny").setName("a").build()));
    assertThat(manual.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    // A job that runs after another adds no live execution, only a job: the third fits.
    jobs.createJob(
        CreateJobRequest.newBuilder().setJob(job("tiny", "after-a").setAfter("a")).build());
    StatusRuntimeException full =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                jobs.createJob(
                    CreateJobRequest.newBuilder()
                        .setJob(job("tiny", "after-b").setAfter("b"))
                        .build()));
    assertThat(detail(full, QuotaFailure.class).getViolations(0).getDescription())
        .contains("holds 3 jobs", "quota.jobsMax");

    NamespaceInfo tiny = namespace("tiny");
    assertThat(tiny.getJobs()).isEqualTo(3);
    assertThat(tiny.getLiveExecutions()).isEqualTo(2);
    assertThat(tiny.getJobsMax()).isEqualTo(3);
    assertThat(tiny.getLiveExecutionsMax()).isEqualTo(2);
  }

  @Test
  void createsPastANamespacesRateAreRefusedWithTheWaitWhileOtherNamespacesGoOn() {
    CreateJobsRequest.Builder six = CreateJobsRequest.newBuilder();
    for (int i = 0; i < 6; i++) {
      six.addJobs(create("slow", "batch-" + i, inOneHour()));
    }
    StatusRuntimeException batch =
        catchThrowableOfType(StatusRuntimeException.class, () -> jobs.createJobs(six.build()));
    assertThat(batch.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(detail(batch, QuotaFailure.class).getViolations(0).getSubject())
        .isEqualTo("namespace:slow");

    StatusRuntimeException refused = null;
    int accepted = 0;
    for (int i = 0; i < 20 && refused == null; i++) {
      try {
        jobs.createJob(create("slow", "one-" + i, inOneHour()));
        accepted++;
      } catch (StatusRuntimeException e) {
        refused = e;
      }
    }
    assertThat(refused).as("a refusal within 20 quick creates").isNotNull();
    assertThat(accepted)
        .as("creates accepted before the refusal: the bucket (5) and what refilled meanwhile")
        .isBetween(5, 19);
    assertThat(detail(refused, QuotaFailure.class).getViolations(0).getDescription())
        .contains("5 jobs per second");
    RetryInfo retry = detail(refused, RetryInfo.class);
    assertThat(
            retry.getRetryDelay().getSeconds() * 1_000
                + retry.getRetryDelay().getNanos() / 1_000_000)
        .isBetween(1L, 1_000L);
    assertThat(jobs.createJob(create("other", "not-slowed", inOneHour())).getName())
        .isEqualTo("not-slowed");
    assertThat(namespace("slow").getJobs()).isEqualTo(accepted);
  }

  private static NamespaceInfo namespace(String name) {
    return jobs
        .listNamespaces(ListNamespacesRequest.getDefaultInstance())
        .getNamespacesList()
        .stream()
        .filter(n -> n.getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static Schedule inOneHour() {
    return Schedule.newBuilder().setAfterMs(3_600_000).build();
  }

  private static Job.Builder job(String ns, String name) {
    return Job.newBuilder()
        .setNamespace(ns)
        .setName(name)
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook"));
  }

  private static CreateJobRequest create(String ns, String name, Schedule schedule) {
    return CreateJobRequest.newBuilder().setJob(job(ns, name).setSchedule(schedule)).build();
  }

  private static <T extends com.google.protobuf.Message> T detail(
      StatusRuntimeException e, Class<T> type) {
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (com.google.protobuf.InvalidProtocolBufferException x) {
          throw new AssertionError(x);
        }
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + e);
  }
}
