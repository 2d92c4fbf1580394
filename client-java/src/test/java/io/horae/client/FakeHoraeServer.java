package io.horae.client;

import io.grpc.Server;
import io.grpc.Status;
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
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A stand-in for a Horae node, for the client's tests only: a real gRPC server on a loopback
 * ephemeral port whose JobService and ClusterService answer with canned behaviour and record what
 * they received. A behaviour may throw a {@link StatusRuntimeException} to answer with an error, or
 * return {@code null} to never answer.
 */
final class FakeHoraeServer implements AutoCloseable {
  final List<CreateJobRequest> creates = new CopyOnWriteArrayList<>();
  final List<GetJobRequest> gets = new CopyOnWriteArrayList<>();
  final List<ListJobsRequest> lists = new CopyOnWriteArrayList<>();
  final List<DeleteJobRequest> deletes = new CopyOnWriteArrayList<>();

  volatile Function<CreateJobRequest, Job> onCreate =
      r -> r.getJob().toBuilder().setState(JobState.JOB_STATE_ACTIVE).setVersion(1).build();
  volatile Function<GetJobRequest, Job> onGet =
      r -> Job.newBuilder().setNamespace(r.getNamespace()).setName(r.getName()).build();
  volatile Function<ListJobsRequest, ListJobsResponse> onList =
      r -> ListJobsResponse.getDefaultInstance();
  volatile Function<DeleteJobRequest, DeleteJobResponse> onDelete =
      r -> DeleteJobResponse.newBuilder().setCancelledExecutions(0).build();
  volatile ClusterStatus clusterStatus = ClusterStatus.getDefaultInstance();

  private final Server server;

  private FakeHoraeServer() throws IOException {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(new Jobs())
            .addService(new Cluster())
            .build()
            .start();
  }

  static FakeHoraeServer start() {
    try {
      return new FakeHoraeServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  /** An endpoint on which nothing listens: a loopback port that was free a moment ago. */
  static String closedEndpoint() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static StatusRuntimeException unavailable() {
    return Status.UNAVAILABLE.withDescription("not serving").asRuntimeException();
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
    R response;
    try {
      response = behaviour.apply(request);
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    }
    if (response != null) {
      out.onNext(response);
      out.onCompleted();
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
