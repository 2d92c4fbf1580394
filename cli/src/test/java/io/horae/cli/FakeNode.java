package io.horae.cli;

import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.DeleteJobRequest;
import io.horae.api.v1.DeleteJobResponse;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.JobState;
import io.horae.api.v1.ListJobsRequest;
import io.horae.api.v1.ListJobsResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A stand-in for a Horae node for the CLI's tests (the real server lives in another module): a gRPC
 * server on a loopback ephemeral port with canned JobService and ClusterService answers that
 * records the requests. A behaviour may throw a {@link StatusRuntimeException} to answer with it.
 */
public final class FakeNode implements AutoCloseable {
  public final List<CreateJobRequest> creates = new CopyOnWriteArrayList<>();
  public final List<ListJobsRequest> lists = new CopyOnWriteArrayList<>();
  public final List<GetJobRequest> gets = new CopyOnWriteArrayList<>();
  public final List<DeleteJobRequest> deletes = new CopyOnWriteArrayList<>();

  public volatile Function<CreateJobRequest, Job> onCreate =
      r -> r.getJob().toBuilder().setState(JobState.JOB_STATE_ACTIVE).setVersion(1).build();
  public volatile Function<GetJobRequest, Job> onGet =
      r -> Job.newBuilder().setNamespace(r.getNamespace()).setName(r.getName()).build();
  public volatile Function<ListJobsRequest, ListJobsResponse> onList =
      r -> ListJobsResponse.getDefaultInstance();
  public volatile Function<DeleteJobRequest, DeleteJobResponse> onDelete =
      r -> DeleteJobResponse.getDefaultInstance();
  public volatile ClusterStatus clusterStatus = ClusterStatus.getDefaultInstance();

  private final Server server;

  public FakeNode() {
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
              .addService(new Jobs())
              .addService(new Cluster())
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <Q, R> void answer(Q request, Function<Q, R> behaviour, StreamObserver<R> out) {
    try {
      out.onNext(behaviour.apply(request));
      out.onCompleted();
    } catch (StatusRuntimeException e) {
      out.onError(e);
    }
  }

  private final class Jobs extends JobServiceGrpc.JobServiceImplBase {
    @Override
    public void createJob(CreateJobRequest request, StreamObserver<Job> out) {
      creates.add(request);
      answer(request, onCreate, out);
    }

    @Override
    public void getJob(GetJobRequest request, StreamObserver<Job> out) {
      gets.add(request);
      answer(request, onGet, out);
    }

    @Override
    public void listJobs(ListJobsRequest request, StreamObserver<ListJobsResponse> out) {
      lists.add(request);
      answer(request, onList, out);
    }

    @Override
    public void deleteJob(DeleteJobRequest request, StreamObserver<DeleteJobResponse> out) {
      deletes.add(request);
      answer(request, onDelete, out);
    }
  }

  private final class Cluster extends ClusterServiceGrpc.ClusterServiceImplBase {
    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<ClusterStatus> out) {
      answer(request, r -> clusterStatus, out);
    }
  }
}
