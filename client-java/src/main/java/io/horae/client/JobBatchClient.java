package io.horae.client;

import io.grpc.Deadline;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsRequest;
import io.horae.api.v1.CreateJobsResponse;
import io.horae.api.v1.JobServiceGrpc;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Many creates in one call (at most the server's {@code api.createBatchMax}, 1000 by default).
 * Obtain it from {@link HoraeClient#batches()}; it shares that client's endpoints, deadline and
 * error types. One invalid item fails the whole call with {@link InvalidArgumentException} ({@code
 * jobs[i].<field>}) and nothing is written; otherwise each item has its own outcome.
 */
public final class JobBatchClient {
  private final HoraeClient client;

  JobBatchClient(HoraeClient client) {
    this.client = client;
  }

  /** Creates the jobs; the response holds one outcome per item, in order (code 0: created). */
  public CreateJobsResponse create(List<CreateJobRequest> jobs) {
    return HoraeClient.await(create(jobs, true));
  }

  /**
   * Async {@link #create}. Items without a request id are given one, so the call may be repeated on
   * another endpoint after a failover without creating anything twice.
   */
  public CompletableFuture<CreateJobsResponse> createAsync(List<CreateJobRequest> jobs) {
    return create(jobs, false);
  }

  private CompletableFuture<CreateJobsResponse> create(
      List<CreateJobRequest> jobs, boolean awaited) {
    CreateJobsRequest.Builder request = CreateJobsRequest.newBuilder();
    for (CreateJobRequest j : Objects.requireNonNull(jobs, "jobs")) {
      request.addJobs(
          j.getRequestId().isBlank()
              ? j.toBuilder().setRequestId(UUID.randomUUID().toString()).build()
              : j);
    }
    CreateJobsRequest built = request.build();
    Deadline d = client.newDeadline();
    return client.call(
        ch ->
            HoraeClient.awaited(JobServiceGrpc.newFutureStub(ch), awaited)
                .withDeadline(d)
                .createJobs(built));
  }
}
