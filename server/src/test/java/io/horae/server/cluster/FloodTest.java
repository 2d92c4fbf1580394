package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.CreateJobsRequest;
import io.horae.api.v1.CreateJobsResponse;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client floods the cluster with creates while a steady delivery load runs (issue 14, item 2):
 * past its namespace's rate, and when a node's client lane is full, the flood is refused with
 * RESOURCE_EXHAUSTED, and the steady deliveries stay on time: results and shard moves never queue
 * behind client creates, and refused creates cost little CPU.
 */
class FloodTest {
  /** Steady load: one delivery every 50 ms (20/s) for 12 s. */
  static final int STEADY_JOBS = 240;

  static final long STEADY_GAP_MS = 50;

  /** Flood: clients x calls in flight x jobs per call, far more than a client lane holds. */
  static final int FLOOD_CLIENTS = 8;

  static final int FLOOD_IN_FLIGHT = 4;
  static final int FLOOD_BATCH = 100;

  /** The flooding namespace's creates per second through each node (quota.namespaces). */
  static final int FLOOD_RATE_PER_NODE = 300;

  /** Small enough that the flood fills it within a second. */
  static final int PROPOSE_QUEUE_MAX = 1_000;

  /**
   * The steady load's bound under the flood, on a 2-core machine running three nodes, eight flood
   * clients and the receiver in one JVM: p99 lateness. Measured on an idle machine p50 9 ms, p99
   * 116 ms, max 217 ms (1.45 million flood items refused, 17,100 accepted); p99 915 ms with other
   * builds running (test output). Without the flood's quota, the same flood was all accepted
   * (60,900 creates) and the steady p99 was 2.7 s: the lanes keep results first in the queue, but
   * only admission keeps the CPU for them.
   */
  static final long P99_LATENESS_MS_MAX = 1_000;

  @TempDir Path tmp;

  @Test
  void aFloodOfCreatesIsRefusedWhileSteadyDeliveriesStayOnTime() throws Exception {
    try (MiniCluster cluster =
            MiniCluster.start(
                tmp,
                3,
                Map.of(
                    "raft.proposeQueueMax",
                    Integer.toString(PROPOSE_QUEUE_MAX),
                    "quota.namespaces",
                    "flood:rate=" + FLOOD_RATE_PER_NODE));
        Receiver receiver = new Receiver()) {
      List<ManagedChannel> channels = cluster.ids().stream().map(cluster::channel).toList();
      long first = System.currentTimeMillis() + 6_000;
      List<Job> steady = new ArrayList<>();
      for (int i = 0; i < STEADY_JOBS; i++) {
        steady.add(
            job(
                "steady-" + i,
                receiver.url("/steady"),
                Schedule.newBuilder().setAtMs(first + i * STEADY_GAP_MS).build()));
      }
      Creates.all(channels, steady);
      long last = first + (STEADY_JOBS - 1) * STEADY_GAP_MS;

      Map<Status.Code, AtomicLong> flood = new ConcurrentHashMap<>();
      AtomicBoolean flooding = new AtomicBoolean(true);
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < FLOOD_CLIENTS; c++) {
        ManagedChannel channel = channels.get(c % channels.size());
        int client = c;
        clients.add(
            Thread.ofVirtual().start(() -> floodUntil(channel, client, flooding, flood, receiver)));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> System.currentTimeMillis() > last + 1_000);
      flooding.set(false);
      for (Thread t : clients) {
        t.join(Duration.ofSeconds(30));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> firstArrivals(receiver).size() == STEADY_JOBS);

      List<Long> lateness = new ArrayList<>(firstArrivals(receiver).values());
      lateness.sort(Long::compare);
      long p50 = lateness.get(lateness.size() / 2);
      long p99 = lateness.get((int) Math.ceil(lateness.size() * 0.99) - 1);
      long max = lateness.get(lateness.size() - 1);
      System.out.printf(
          "FloodTest: steady %d deliveries at 20/s: lateness p50 %d ms, p99 %d ms, max %d ms; flood replies %s%n",
          STEADY_JOBS, p50, p99, max, flood);
      assertThat(flood.getOrDefault(Status.Code.RESOURCE_EXHAUSTED, new AtomicLong()).get())
          .as("flood items refused")
          .isPositive();
      assertThat(flood.getOrDefault(Status.Code.OK, new AtomicLong()).get())
          .as("flood items accepted")
          .isPositive();
      assertThat(p99)
          .as("p99 lateness of the steady load under the flood (ms)")
          .isLessThanOrEqualTo(P99_LATENESS_MS_MAX);
    }
  }

  /** The lateness of each steady execution's first arrival, by execution id. */
  private static Map<String, Long> firstArrivals(Receiver receiver) {
    Map<String, Long> out = new TreeMap<>();
    for (Receiver.Delivery d : receiver.arrivals()) {
      if (d.path().equals("/steady")) {
        out.putIfAbsent(d.idempotencyKey(), d.receivedMs() - d.scheduledMs());
      }
    }
    return out;
  }

  /**
   * Sends CreateJobs calls of FLOOD_BATCH jobs due in an hour, FLOOD_IN_FLIGHT at a time, counting
   * item outcomes.
   */
  private static void floodUntil(
      ManagedChannel channel,
      int client,
      AtomicBoolean flooding,
      Map<Status.Code, AtomicLong> counts,
      Receiver receiver) {
    Semaphore permits = new Semaphore(FLOOD_IN_FLIGHT);
    long at = System.currentTimeMillis() + 3_600_000;
    for (int call = 0; flooding.get(); call++) {
      try {
        if (!permits.tryAcquire(1, TimeUnit.SECONDS)) {
          continue;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      CreateJobsRequest.Builder batch = CreateJobsRequest.newBuilder();
      for (int i = 0; i < FLOOD_BATCH; i++) {
        batch.addJobs(
            CreateJobRequest.newBuilder()
                .setJob(
                    job(
                            "f" + client + "-" + call + "-" + i,
                            receiver.url("/flood"),
                            Schedule.newBuilder().setAtMs(at).build())
                        .toBuilder()
                        .setNamespace("flood")));
      }
      Futures.addCallback(
          JobServiceGrpc.newFutureStub(channel)
              .withDeadlineAfter(30, TimeUnit.SECONDS)
              .createJobs(batch.build()),
          new FutureCallback<CreateJobsResponse>() {
            @Override
            public void onSuccess(CreateJobsResponse r) {
              r.getResultsList()
                  .forEach(
                      o ->
                          counts
                              .computeIfAbsent(
                                  o.hasJob()
                                      ? Status.Code.OK
                                      : Status.fromCodeValue(o.getCode()).getCode(),
                                  k -> new AtomicLong())
                              .incrementAndGet());
              permits.release();
            }

            @Override
            public void onFailure(Throwable t) {
              counts
                  .computeIfAbsent(Status.fromThrowable(t).getCode(), k -> new AtomicLong())
                  .addAndGet(FLOOD_BATCH);
              permits.release();
            }
          },
          MoreExecutors.directExecutor());
    }
    try {
      permits.tryAcquire(FLOOD_IN_FLIGHT, 30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Job job(String name, String url, Schedule schedule) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(schedule)
        .setTarget(Target.newBuilder().setUrl(url))
        .build();
  }
}
