package io.horae.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * On real node processes, a pending execution cancelled through the API is never delivered,
 * whichever node owns it, while the executions due beside it are.
 */
class CancelTest extends ChaosTest {
  static final int JOBS = 60;

  /**
   * Far enough ahead that every cancel is acknowledged before the executions fall due, even on a
   * slow CI machine with cold JITs (6 s was once not enough there for sequential cancels).
   */
  static final long DUE_IN_MS = 10_000;

  /** After the last kept delivery: more than a scan and a delivery of anything left. */
  static final long SENTINEL_AFTER_MS = 3_000;

  @Test
  void aCancelledPendingExecutionIsNeverDelivered() throws Exception {
    try (ProcessCluster cluster = ProcessCluster.start(tmp, 3);
        HoraeClient client = cluster.client()) {
      long due = System.currentTimeMillis() + DUE_IN_MS;
      List<CompletableFuture<Job>> creates = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        creates.add(client.createAsync(oneShot("once-" + i, due)));
      }
      CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).join();

      List<String> cancelled = new ArrayList<>();
      List<CompletableFuture<Execution>> cancels = new ArrayList<>();
      for (int i = 0; i < JOBS; i += 2) {
        String id = "default/once-" + i + "@" + due;
        cancelled.add(id);
        cancels.add(client.executions().cancelAsync(id));
      }
      for (int i = 0; i < cancels.size(); i++) {
        assertThat(cancels.get(i).join().getStatus())
            .as("after cancelling %s", cancelled.get(i))
            .isEqualTo(ExecutionStatus.EXECUTION_STATUS_CANCELLED);
      }
      assertThat(System.currentTimeMillis()).as("cancels done before the due time").isLessThan(due);
      // A sentinel due well after the others: once it arrived, anything still to come from the
      // cancelled ones would have come before it.
      client.create(oneShot("sentinel", due + SENTINEL_AFTER_MS));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> keys().contains("default/sentinel@" + (due + SENTINEL_AFTER_MS)));

      Set<String> delivered = keys();
      for (int i = 1; i < JOBS; i += 2) {
        assertThat(delivered).contains("default/once-" + i + "@" + due);
      }
      assertThat(delivered)
          .as("cancelled executions delivered")
          .doesNotContainAnyElementsOf(cancelled);
      Set<String> nodes =
          receiver.deliveries().stream().map(Receiver.Delivery::node).collect(Collectors.toSet());
      assertThat(nodes).as("nodes that delivered the kept executions").hasSizeGreaterThan(1);
    }
  }

  private Set<String> keys() {
    return receiver.deliveries().stream()
        .map(Receiver.Delivery::idempotencyKey)
        .collect(Collectors.toSet());
  }

  private Job oneShot(String name, long atMs) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAtMs(atMs))
        .setTarget(
            Target.newBuilder()
                .setUrl(receiver.url("/once"))
                .setBody(ByteString.copyFromUtf8("{}")))
        .build();
  }
}
