package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.FieldMask;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.DeleteJobRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.api.v1.TriggerJobRequest;
import io.horae.api.v1.UpdateJobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling upgrade: while one member claims an apply version that does not know UpdateJob and
 * TriggerJob, no node proposes them (so that member never meets an op it does not know), older op
 * kinds go on; once the member runs the current version, they are accepted again.
 */
class ApplyVersionTest {
  @TempDir Path tmp;

  @Test
  void opKindsNewerThanTheOldestMembersApplyVersionAreRefusedUntilItIsUpgraded() throws Exception {
    try (MiniCluster cluster = MiniCluster.start(tmp, 3, Map.of())) {
      String old = cluster.follower().id();
      String other = cluster.ids().stream().filter(id -> !id.equals(old)).findFirst().orElseThrow();
      JobServiceGrpc.JobServiceBlockingStub jobs =
          JobServiceGrpc.newBlockingStub(cluster.channel(other))
              .withDeadlineAfter(Duration.ofMinutes(2));
      jobs.createJob(CreateJobRequest.newBuilder().setJob(job("upgrading")).build());

      cluster.stopNode(old);
      cluster.override(old, "node.applyVersion", "1");
      cluster.startNode(old);
      AtomicReference<StatusRuntimeException> refused = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                try {
                  jobs.updateJob(priority("upgrading", 1));
                  return false; // the leader has not heard the restarted member's version yet
                } catch (StatusRuntimeException e) {
                  refused.set(e);
                  return e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION;
                }
              });
      assertThat(refused.get().getStatus().getDescription())
          .contains("UpdateJob", "member " + old, "version 1");
      long version = version(jobs, "upgrading");
      StatusRuntimeException trigger =
          refusal(
              () -> jobs.triggerJob(TriggerJobRequest.newBuilder().setName("upgrading").build()));
      assertThat(trigger.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(trigger.getStatus().getDescription()).contains("TriggerJob", "member " + old);
      StatusRuntimeException update = refusal(() -> jobs.updateJob(priority("upgrading", 2)));
      assertThat(update.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
      assertThat(version(jobs, "upgrading"))
          .as("a refused update changes nothing")
          .isEqualTo(version);
      jobs.createJob(CreateJobRequest.newBuilder().setJob(job("still-created")).build());
      assertThat(
              jobs.deleteJob(
                  DeleteJobRequest.newBuilder()
                      .setName("still-created")
                      .setRequestId("d-1")
                      .build()))
          .as("a delete goes on, without its request id, which that member would not record")
          .isNotNull();

      cluster.stopNode(old);
      cluster.override(old, "node.applyVersion", null);
      cluster.startNode(old);
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptionsMatching(
              e ->
                  e instanceof StatusRuntimeException s
                      && s.getStatus().getCode() == Status.Code.FAILED_PRECONDITION)
          .until(() -> jobs.updateJob(priority("upgrading", 3)).getPriority() == 3);
      assertThat(cluster.node(old).store().appliedIndex()).isPositive();
    }
  }

  private static StatusRuntimeException refusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call was accepted");
  }

  private static long version(JobServiceGrpc.JobServiceBlockingStub jobs, String name) {
    return jobs.getJob(GetJobRequest.newBuilder().setName(name).build()).getVersion();
  }

  private static Job job(String name) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAfterMs(3_600_000))
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook"))
        .build();
  }

  private static UpdateJobRequest priority(String name, int priority) {
    return UpdateJobRequest.newBuilder()
        .setJob(Job.newBuilder().setName(name).setPriority(priority))
        .setUpdateMask(FieldMask.newBuilder().addPaths("priority"))
        .build();
  }
}
