package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.WatchExecutionsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results wait up to {@code exec.resultLinger} to share one Complete (one Raft entry): at a steady
 * rate results end one at a time, and an entry costs every node the same however few results it
 * carries (docs/bench.md). A one-node cluster owns every shard; each execution's request is held at
 * the receiver until the test lets it go, one after the other, each only once the previous one was
 * answered, so the results reach the node at distinct moments a few milliseconds apart. The watch
 * stream names the log entry that recorded each result.
 */
class ResultLingerTest {
  static final int JOBS = 3;

  /** Longest the receiver holds a request if a test fails before letting it go. */
  static final long HOLD_MAX_MS = 30_000;

  static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path tmp;

  @Test
  void resultsThatEndWithinTheLingerAreRecordedByOneLogEntry() throws Exception {
    assertThat(resultIndexes("1s", false))
        .as("log entries that recorded the %d results", JOBS)
        .hasSize(1);
  }

  @Test
  void withoutALingerAResultIsRecordedWithoutWaitingForOthers() throws Exception {
    // Each request is let go only once the previous result was applied: with no linger each
    // result goes alone; any wait for a fuller batch would hold the first one until the deadline.
    assertThat(resultIndexes("0s", true))
        .as("log entries that recorded the %d results", JOBS)
        .hasSize(JOBS);
  }

  /**
   * The distinct log indexes at which the results of {@link #JOBS} executions were applied. Each
   * held request is let go once the previous one was answered, or, with {@code awaitEachResult},
   * once the previous result was applied.
   */
  private List<Long> resultIndexes(String linger, boolean awaitEachResult) throws Exception {
    try (Receiver receiver = new Receiver();
        MiniCluster cluster =
            MiniCluster.start(
                tmp, 1, Map.of("exec.resultLinger", linger, "api.pastTolerance", "30s"))) {
      String node = cluster.nodes().get(0).id();
      ConcurrentLinkedQueue<ExecutionEvent> events = new ConcurrentLinkedQueue<>();
      ExecutionServiceGrpc.newStub(cluster.channel(node))
          .withDeadlineAfter(60, TimeUnit.SECONDS)
          .watchExecutions(
              WatchExecutionsRequest.getDefaultInstance(), ExecutionApiTest.collect(events));
      await().atMost(DEADLINE).until(() -> !events.isEmpty());

      List<CountDownLatch> gates = new ArrayList<>();
      List<Job> jobs = new ArrayList<>();
      long dueMs = System.currentTimeMillis() - 1_000;
      for (int i = 0; i < JOBS; i++) {
        CountDownLatch gate = new CountDownLatch(1);
        receiver.hold("/r" + i, gate, HOLD_MAX_MS);
        gates.add(gate);
        jobs.add(
            ClusterDeliveryTest.jobTo(
                receiver.url("/r" + i), "r" + i, Schedule.newBuilder().setAtMs(dueMs).build()));
      }
      Creates.all(List.of(cluster.channel(node)), jobs);
      await().atMost(DEADLINE).until(() -> receiver.arrivals().size() == JOBS);
      for (int i = 0; i < JOBS; i++) {
        gates.get(i).countDown();
        int answered = i + 1;
        await()
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(5))
            .until(
                () ->
                    receiver.deliveries().size() == answered
                        && (!awaitEachResult || succeeded(events).size() == answered));
      }

      await().atMost(DEADLINE).until(() -> succeeded(events).size() == JOBS);
      return succeeded(events).stream().map(ExecutionEvent::getAppliedIndex).distinct().toList();
    }
  }

  private static List<ExecutionEvent> succeeded(ConcurrentLinkedQueue<ExecutionEvent> events) {
    return events.stream()
        .filter(ExecutionEvent::hasExecution)
        .filter(e -> e.getExecution().getStatus() == ExecutionStatus.EXECUTION_STATUS_SUCCEEDED)
        .toList();
  }
}
