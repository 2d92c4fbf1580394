package io.horae.chaos;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.Every;
import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.ShardOwner;
import io.horae.api.v1.Target;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.Receiver;
import io.horae.statemachine.core.Shards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * A steady load for fault tests: {@code jobs} interval jobs firing every {@code intervalMs}, their
 * anchors spread evenly over one interval, so the receiver sees jobs/interval deliveries per
 * second. Knows which occurrences must have been delivered and on which shard each job is.
 */
final class Workload {
  static final int SHARDS = 64;

  private final int jobs;
  private final long intervalMs;
  private final long anchorMs;

  private Workload(int jobs, long intervalMs, long anchorMs) {
    this.jobs = jobs;
    this.intervalMs = intervalMs;
    this.anchorMs = anchorMs;
  }

  /** Creates the jobs and waits until every job has fired twice. */
  static Workload start(HoraeClient client, Receiver receiver, int jobs, long intervalMs) {
    Workload w = new Workload(jobs, intervalMs, System.currentTimeMillis() + 3_000);
    List<CompletableFuture<Job>> creates = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      creates.add(client.createAsync(w.job(receiver, i)));
    }
    CompletableFuture.allOf(creates.toArray(CompletableFuture[]::new)).join();
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.deliveries().size() >= 2L * jobs);
    return w;
  }

  /** Every key due at or before {@code upToMs}. */
  Set<String> dueKeys(long upToMs) {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < jobs; i++) {
      for (long t = anchor(i); t <= upToMs; t += intervalMs) {
        keys.add("default/" + name(i) + "@" + t);
      }
    }
    return keys;
  }

  /** Waits until the receiver has every key due at or before {@code upToMs}. */
  void awaitDelivered(Receiver receiver, long upToMs) {
    Set<String> expected = dueKeys(upToMs);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              Set<String> missing = new java.util.TreeSet<>(expected);
              receiver.deliveries().forEach(d -> missing.remove(d.idempotencyKey()));
              if (!missing.isEmpty()) {
                throw new AssertionError(
                    missing.size()
                        + " due executions not delivered, e.g. "
                        + missing.stream()
                            .limit(8)
                            .map(k -> k + " (shard " + shardOfKey(k) + ")")
                            .toList());
              }
            });
  }

  static Set<Integer> shardsOf(ClusterStatus status, String nodeId) {
    return status.getShardOwnersList().stream()
        .filter(o -> o.getNodeId().equals(nodeId))
        .map(ShardOwner::getShard)
        .collect(Collectors.toSet());
  }

  static int shardOf(Receiver.Delivery d) {
    return shardOfKey(d.idempotencyKey());
  }

  static int shardOfKey(String key) {
    return Shards.of("default", key.substring(key.indexOf('/') + 1, key.lastIndexOf('@')), SHARDS);
  }

  private long anchor(int i) {
    return anchorMs + i * intervalMs / jobs;
  }

  private static String name(int i) {
    return "tick-" + i;
  }

  private Job job(Receiver receiver, int i) {
    return Job.newBuilder()
        .setName(name(i))
        .setSchedule(
            Schedule.newBuilder()
                .setEvery(Every.newBuilder().setIntervalMs(intervalMs).setAnchorMs(anchor(i))))
        .setTarget(
            Target.newBuilder()
                .setUrl(receiver.url("/tick"))
                .setBody(ByteString.copyFromUtf8("{}")))
        .build();
  }
}
