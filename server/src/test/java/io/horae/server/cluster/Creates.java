package io.horae.server.cluster;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Creates many jobs concurrently, a bounded number in flight, round-robin over the given channels.
 * Concurrent creates are what group commit packs into shared Raft entries; sequential ones each
 * wait for their own commit.
 */
public final class Creates {
  /** Creates in flight at once; enough to fill several Raft batches. */
  public static final int IN_FLIGHT_MAX = 64;

  private Creates() {}

  /**
   * Creates jobs due in an hour, in rounds of 200 through the leader, until the leader has applied
   * {@code minIndex} entries; returns the jobs created. How many jobs go in one entry depends on
   * the load (group commit), so a test that needs a number of entries (snapshots, purged log
   * segments) counts entries, not jobs.
   */
  public static int untilApplied(MiniCluster cluster, long minIndex) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int created = 0;
    while (cluster.leader().store().appliedIndex() < minIndex) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            created
                + " jobs made "
                + cluster.leader().store().appliedIndex()
                + " entries, not "
                + minIndex);
      }
      all(List.of(cluster.channel(cluster.leader().id())), later(created, 200));
      created += 200;
    }
    return created;
  }

  /** Jobs {@code later-<from>} to {@code later-<from + n - 1>}, each due once in about an hour. */
  public static List<Job> later(int from, int n) {
    long farAway = System.currentTimeMillis() + 3_600_000;
    List<Job> jobs = new ArrayList<>(n);
    for (int i = from; i < from + n; i++) {
      jobs.add(
          ClusterDeliveryTest.jobTo(
              "http://127.0.0.1:9/never",
              "later-" + i,
              Schedule.newBuilder().setAtMs(farAway + i).build()));
    }
    return jobs;
  }

  /** Creates every job; throws the first failure after all calls finished. */
  public static void all(List<ManagedChannel> channels, List<Job> jobs)
      throws InterruptedException {
    Semaphore permits = new Semaphore(IN_FLIGHT_MAX);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < jobs.size(); i++) {
      permits.acquire();
      JobServiceGrpc.JobServiceFutureStub stub =
          JobServiceGrpc.newFutureStub(channels.get(i % channels.size()))
              .withDeadlineAfter(30, TimeUnit.SECONDS);
      Futures.addCallback(
          stub.createJob(CreateJobRequest.newBuilder().setJob(jobs.get(i)).build()),
          new FutureCallback<Job>() {
            @Override
            public void onSuccess(Job created) {
              permits.release();
            }

            @Override
            public void onFailure(Throwable t) {
              failures.add(t);
              permits.release();
            }
          },
          MoreExecutors.directExecutor());
    }
    if (!permits.tryAcquire(IN_FLIGHT_MAX, 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("creates did not finish within 60 s");
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(failures.size() + " creates failed", failures.peek());
    }
  }
}
