package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.ExecutionServiceGrpc;
import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.GetExecutionRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.internal.v1.ShardMap;
import io.horae.server.node.HoraeNode;
import io.horae.statemachine.core.Shards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An orderly stop (SIGTERM) lets the deliveries already running finish and records their results
 * before the node leaves, so the node that takes over its shards does not send them again.
 */
class OrderlyStopTest {
  /** The receiver holds at most 4 requests at once. */
  static final int RUNNING = 4;

  @TempDir Path tmp;

  @Test
  void anOrderlyStopRecordsTheResultsOfRunningDeliveriesSoNoneIsSentAgain() throws Exception {
    try (StallingReceiver target = new StallingReceiver();
        MiniCluster cluster = MiniCluster.start(tmp, 3, Map.of())) {
      cluster.awaitLeases();
      HoraeNode victim = cluster.follower();
      ShardMap map = cluster.leader().shardMap().orElseThrow();
      List<String> names = namesOwnedBy(map, victim.id(), RUNNING + 1);
      String survivor =
          cluster.ids().stream().filter(id -> !id.equals(victim.id())).findFirst().orElseThrow();

      long due = System.currentTimeMillis() + 1_500;
      List<Job> running = new ArrayList<>();
      for (int i = 0; i < RUNNING; i++) {
        running.add(
            ClusterDeliveryTest.jobTo(
                target.url("/stop"), names.get(i), Schedule.newBuilder().setAtMs(due).build()));
      }
      Creates.all(List.of(cluster.channel(survivor)), running);
      await().atMost(Duration.ofSeconds(20)).until(() -> target.arrived() == RUNNING);

      // Not on the common pool: Ratis 3.3 hands every follower's log append through it, and a stop
      // blocks its thread for as long as the drain lasts (docs/architecture.md, "Threads").
      CompletableFuture<Void> stop = new CompletableFuture<>();
      Thread.ofPlatform()
          .name("stop-" + victim.id())
          .start(
              () -> {
                try {
                  cluster.stopNode(victim.id());
                  stop.complete(null);
                } catch (Throwable t) {
                  stop.completeExceptionally(t);
                }
              });
      await().atMost(Duration.ofSeconds(5)).until(() -> !victim.ready());
      target.release(); // The targets answer while the node is stopping.
      stop.get();

      // A later execution on the same shards, delivered by the new owner once it has them: any
      // re-delivery of the running ones would be overdue and sent before it.
      String sentinel = names.get(RUNNING);
      Creates.all(
          List.of(cluster.channel(survivor)),
          List.of(
              ClusterDeliveryTest.jobTo(
                  target.url("/stop"),
                  sentinel,
                  Schedule.newBuilder().setAtMs(System.currentTimeMillis() + 500).build())));
      await().atMost(Duration.ofSeconds(20)).until(() -> target.arrived() > RUNNING);
      assertThat(target.arrived())
          .as("requests received: %d running at the stop, then the sentinel", RUNNING)
          .isEqualTo(RUNNING + 1);
      ExecutionServiceGrpc.ExecutionServiceBlockingStub executions =
          ExecutionServiceGrpc.newBlockingStub(cluster.channel(survivor));
      for (Job j : running) {
        String id = "default/" + j.getName() + "@" + due;
        assertThat(
                executions
                    .getExecution(GetExecutionRequest.newBuilder().setId(id).build())
                    .getStatus())
            .as("status of %s", id)
            .isEqualTo(ExecutionStatus.EXECUTION_STATUS_SUCCEEDED);
      }
    }
  }

  /** Job names (in the default namespace) whose shard the given node owns. */
  static List<String> namesOwnedBy(ShardMap map, String nodeId, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 0; names.size() < count; i++) {
      String name = "stop-" + i;
      if (map.getOwners(Shards.of("default", name, map.getOwnersCount())).equals(nodeId)) {
        names.add(name);
      }
    }
    return names;
  }
}
