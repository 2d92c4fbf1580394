package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import io.horae.api.v1.ListView;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * List replies are bounded in bytes: the basic view leaves out bodies and attempt histories, and
 * full pages stop at 2 MiB.
 */
class ListViewTest {
  /** 64 KiB bodies (api.bodyBytesMax): 40 of them are 2.5 MiB, more than one page holds. */
  static final int JOBS = 40;

  static final int BODY_BYTES = 64 * 1024 - 16;

  @TempDir Path tmp;

  @Test
  void listsLeaveOutBodiesAndAttemptsUnlessAskedAndAFullPageEndsAtItsByteBudget() throws Exception {
    try (MiniCluster cluster = MiniCluster.start(tmp, 1, Map.of());
        Receiver receiver = new Receiver()) {
      var channel = cluster.channel(cluster.ids().get(0));
      JobServiceGrpc.JobServiceBlockingStub jobs =
          JobServiceGrpc.newBlockingStub(channel).withMaxInboundMessageSize(16 * 1024 * 1024);
      ExecutionServiceGrpc.ExecutionServiceBlockingStub executions =
          ExecutionServiceGrpc.newBlockingStub(channel);
      ByteString body = ByteString.copyFrom(new byte[BODY_BYTES]);
      for (int i = 0; i < JOBS; i++) {
        jobs.createJob(
            CreateJobRequest.newBuilder()
                .setJob(
                    Job.newBuilder()
                        .setName(String.format("big-%02d", i))
                        .setSchedule(Schedule.newBuilder().setAfterMs(3_600_000))
                        .setTarget(Target.newBuilder().setUrl(receiver.url("/big")).setBody(body)))
                .build());
      }

      ListJobsResponse basic = jobs.listJobs(ListJobsRequest.newBuilder().setPageSize(100).build());
      assertThat(basic.getJobsList())
          .hasSize(JOBS)
          .allMatch(j -> j.getTarget().getBody().isEmpty());
      assertThat(
              jobs.getJob(GetJobRequest.newBuilder().setName("big-00").build())
                  .getTarget()
                  .getBody()
                  .size())
          .isEqualTo(BODY_BYTES);

      List<Job> full = new ArrayList<>();
      String token = "";
      int pages = 0;
      do {
        ListJobsResponse page =
            jobs.listJobs(
                ListJobsRequest.newBuilder()
                    .setPageSize(100)
                    .setView(ListView.LIST_VIEW_FULL)
                    .setPageToken(token)
                    .build());
        assertThat(page.getSerializedSize())
            .as("a page's bytes")
            .isLessThanOrEqualTo(2 * 1024 * 1024 + 64 * 1024);
        full.addAll(page.getJobsList());
        token = page.getNextPageToken();
        pages++;
      } while (!token.isEmpty());
      assertThat(pages).as("pages of the full view").isGreaterThan(1);
      assertThat(full).hasSize(JOBS).allMatch(j -> j.getTarget().getBody().size() == BODY_BYTES);

      Job now =
          Job.newBuilder()
              .setName("delivered")
              .setSchedule(Schedule.newBuilder().setAfterMs(1))
              .setTarget(Target.newBuilder().setUrl(receiver.url("/now")))
              .build();
      jobs.createJob(CreateJobRequest.newBuilder().setJob(now).build());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  executions
                      .listExecutions(
                          ListExecutionsRequest.newBuilder().setJobName("delivered").build())
                      .getExecutionsList()
                      .stream()
                      .anyMatch(e -> e.getStatus() == ExecutionStatus.EXECUTION_STATUS_SUCCEEDED));
      Execution listed =
          executions
              .listExecutions(ListExecutionsRequest.newBuilder().setJobName("delivered").build())
              .getExecutions(0);
      Execution listedFull =
          executions
              .listExecutions(
                  ListExecutionsRequest.newBuilder()
                      .setJobName("delivered")
                      .setView(ListView.LIST_VIEW_FULL)
                      .build())
              .getExecutions(0);
      assertThat(listed.getAttempt()).isEqualTo(1);
      assertThat(listed.getAttemptsList()).isEmpty();
      assertThat(listedFull.getAttemptsList()).hasSize(1);
      assertThat(
              executions
                  .getExecution(GetExecutionRequest.newBuilder().setId(listed.getId()).build())
                  .getAttemptsList())
          .hasSize(1);
    }
  }
}
