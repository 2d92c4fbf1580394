package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.GetJobRequest;
import io.horae.api.v1.GetStateDigestRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.StateDigest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real gRPC server on loopback, its calls on {@link ApiExecutors} with one thread. */
class ApiExecutorsTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch digestsStarted = new CountDownLatch(3);
  private final ApiExecutors executors = new ApiExecutors(1);
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server =
        executors
            .apply(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
            .addService(new BlockingDigests())
            .addService(new ThreadNamingJobs())
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    executors.close();
  }

  @Test
  void clusterCallsThatBlockDoNotHoldUpTheOtherCallsOnTheOneApiThread() throws Exception {
    ClusterServiceGrpc.ClusterServiceStub cluster = ClusterServiceGrpc.newStub(channel);
    List<StateDigest[]> answers = IntStream.range(0, 3).mapToObj(i -> new StateDigest[1]).toList();
    CountDownLatch digestsDone = new CountDownLatch(3);
    for (StateDigest[] answer : answers) {
      cluster.getStateDigest(
          GetStateDigestRequest.getDefaultInstance(), collect(answer, digestsDone));
    }
    assertThat(digestsStarted.await(10, TimeUnit.SECONDS)).isTrue();

    // Three digests hold three threads; the one API thread still answers a job read.
    Job job =
        JobServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(5, TimeUnit.SECONDS)
            .getJob(GetJobRequest.newBuilder().setName("j").build());

    assertThat(job.getName()).startsWith("horae-api-").doesNotContain("blocking");
    release.countDown();
    assertThat(digestsDone.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(answers)
        .allSatisfy(a -> assertThat(a[0].getNodeId()).startsWith("horae-api-blocking-"));
  }

  private static <T> StreamObserver<T> collect(T[] into, CountDownLatch done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        into[0] = value;
      }

      @Override
      public void onError(Throwable t) {
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    };
  }

  /** Blocks its thread until the test releases it, as a digest of a large store computes. */
  private final class BlockingDigests extends ClusterServiceGrpc.ClusterServiceImplBase {
    @Override
    public void getStateDigest(
        GetStateDigestRequest request, StreamObserver<StateDigest> observer) {
      digestsStarted.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      observer.onNext(StateDigest.newBuilder().setNodeId(Thread.currentThread().getName()).build());
      observer.onCompleted();
    }
  }

  /** Answers at once, naming the thread that ran the call. */
  private static final class ThreadNamingJobs extends JobServiceGrpc.JobServiceImplBase {
    @Override
    public void getJob(GetJobRequest request, StreamObserver<Job> observer) {
      observer.onNext(Job.newBuilder().setName(Thread.currentThread().getName()).build());
      observer.onCompleted();
    }
  }
}
