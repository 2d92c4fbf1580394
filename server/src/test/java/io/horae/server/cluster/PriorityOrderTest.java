package io.horae.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.server.node.HoraeNode;
import io.horae.statemachine.core.Shards;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 3: with a backlog, a node fires the higher-priority executions of all its shards
 * first (docs/delivery.md, "Priority"). One node owns every shard, so its order is the whole
 * cluster's order.
 *
 * <p>Method: the receiver holds every request until the test opens its gate. Jobs of priorities
 * 0..3, all due at one instant a second ago, spread over most shards, are created in waves, lowest
 * priority first (the order that hurts most: the low ones wait in the node before the high ones
 * arrive). The first requests take what the limit under test allows in flight and stall; the rest
 * must wait in the node. Once all of them are in the node's window, the gate opens and the
 * receiver's arrival order is checked: apart from the requests already in flight when the backlog
 * formed (exactly the limit, read from the config), every priority-3 execution arrives before any
 * priority-0 one. The two tests make a different limit the short one: the node's dispatch slots, or
 * one host's permits.
 */
class PriorityOrderTest {
  /** Executions per priority; 4 x 20 over the default 64 shards lands in most of them. */
  static final int PER_PRIORITY = 20;

  static final int PRIORITIES = 4;
  static final int JOBS = PER_PRIORITY * PRIORITIES;

  /** How long ago the executions are due: they are overdue when created, a backlog at once. */
  static final long DUE_AGO_MS = 1_000;

  /** Room for the creates to finish before an at-time this far back would be refused. */
  static final String PAST_TOLERANCE = "30s";

  /** Longest the receiver holds a request if a test fails before opening the gate. */
  static final long HOLD_MAX_MS = 30_000;

  static final Duration BACKLOG_DEADLINE = Duration.ofSeconds(20);
  static final Duration DELIVERED_DEADLINE = Duration.ofSeconds(20);

  /** Fewer than the backlog, so it must wait in the node. */
  static final int SLOTS_SHORT = 2;

  static final int HOST_PERMITS_SHORT = 2;
  static final int SLOTS_AMPLE = 16;

  @TempDir Path tmp;

  @Test
  void higherPriorityExecutionsOfAllShardsGoFirstWhenTheNodesDispatchSlotsAreShort()
      throws Exception {
    // Per-host permits above the slots: the node's dispatch slots are the limit that bites.
    Map<String, String> config =
        Map.of(
            "exec.dispatchConcurrency",
            Integer.toString(SLOTS_SHORT),
            "exec.maxRequestsPerHost",
            "64");
    assertPriorityOrder(config, "slots", SLOTS_SHORT);
  }

  @Test
  void higherPriorityExecutionsOfAllShardsGoFirstWhenTheirHostIsAtItsLimit() throws Exception {
    // Slots to spare: the target host's permits are the limit that bites.
    Map<String, String> config =
        Map.of(
            "exec.dispatchConcurrency",
            Integer.toString(SLOTS_AMPLE),
            "exec.maxRequestsPerHost",
            Integer.toString(HOST_PERMITS_SHORT));
    assertPriorityOrder(config, "host", HOST_PERMITS_SHORT);
  }

  private void assertPriorityOrder(Map<String, String> overrides, String prefix, int inFlightLimit)
      throws Exception {
    Map<String, String> config = new HashMap<>(overrides);
    config.put("api.pastTolerance", PAST_TOLERANCE);
    try (Receiver receiver = new Receiver();
        MiniCluster cluster = MiniCluster.start(tmp, 1, config)) {
      HoraeNode node = cluster.nodes().get(0);
      int inFlightMax =
          Math.min(
              node.config().exec().dispatchConcurrency(),
              node.config().exec().maxRequestsPerHost());
      assertThat(inFlightMax).as("the limit this test makes short").isEqualTo(inFlightLimit);
      assertThat(node.config().exec().windowMax())
          .as("the whole backlog fits the window")
          .isGreaterThanOrEqualTo(JOBS);
      CountDownLatch gate = new CountDownLatch(1);
      receiver.hold("/" + prefix, gate, HOLD_MAX_MS);

      long dueMs = System.currentTimeMillis() - DUE_AGO_MS;
      Map<String, Integer> priorityOf = new HashMap<>();
      Set<Integer> shards = new HashSet<>();
      int shardCount = node.config().shards().count();
      // One wave per priority, lowest first, each waited for until the node holds it.
      for (int priority = 0; priority < PRIORITIES; priority++) {
        List<Job> wave = new ArrayList<>();
        for (int i = 0; i < PER_PRIORITY; i++) {
          String name = prefix + "-p" + priority + "-" + i;
          wave.add(
              ClusterDeliveryTest.jobTo(
                      receiver.url("/" + prefix),
                      name,
                      Schedule.newBuilder().setAtMs(dueMs).build())
                  .toBuilder()
                  .setPriority(priority)
                  .build());
          priorityOf.put("default/" + name + "@" + dueMs, priority);
          shards.add(Shards.of("default", name, shardCount));
        }
        Creates.all(List.of(cluster.channel(node.id())), wave);
        int held = (priority + 1) * PER_PRIORITY;
        await().atMost(BACKLOG_DEADLINE).until(() -> node.executor().windowSize() == held);
      }
      assertThat(shards.size()).as("shards the backlog spans").isGreaterThan(shardCount / 2);

      // The backlog has formed: every execution is in the node's window, and the limit is in
      // flight.
      await().atMost(BACKLOG_DEADLINE).until(() -> receiver.arrivals().size() >= inFlightMax);
      List<Receiver.Delivery> inFlight = receiver.arrivals();
      assertThat(inFlight).as("requests in flight when the backlog formed").hasSize(inFlightMax);
      gate.countDown();
      await().atMost(DELIVERED_DEADLINE).until(() -> receiver.deliveries().size() >= JOBS);

      List<Receiver.Delivery> arrivals = receiver.arrivals();
      assertThat(arrivals).as("each execution delivered once").hasSize(JOBS);
      List<Integer> after =
          arrivals.subList(inFlightMax, JOBS).stream()
              .map(d -> priorityOf.get(d.idempotencyKey()))
              .toList();
      int lastHigh = after.lastIndexOf(PRIORITIES - 1);
      int firstLow = after.indexOf(0);
      assertThat(lastHigh)
          .as(
              "position of the last priority-3 arrival after the %d in flight, before the first priority-0 one; order: %s",
              inFlightMax, after)
          .isLessThan(firstLow);
    }
  }
}
