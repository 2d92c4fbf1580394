package io.horae.chaos;

import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.ShardOwner;
import io.horae.client.HoraeClient;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The shard map over time, as one node reports it, sampled every {@code periodMs}: enough to tell
 * who owned a shard when a delivery was attempted. Samples that fail (the node is busy or down) are
 * skipped.
 */
final class ShardHistory implements AutoCloseable {
  private final NavigableMap<Long, Map<Integer, String>> samples = new ConcurrentSkipListMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final HoraeClient client;

  ShardHistory(HoraeClient client, long periodMs) {
    this.client = client;
    timer.scheduleWithFixedDelay(this::sample, 0, periodMs, TimeUnit.MILLISECONDS);
  }

  private void sample() {
    try {
      long at = System.currentTimeMillis();
      ClusterStatus s = client.clusterStatus();
      samples.put(
          at,
          s.getShardOwnersList().stream()
              .collect(Collectors.toMap(ShardOwner::getShard, ShardOwner::getNodeId)));
    } catch (RuntimeException e) {
      // A missed sample only makes the history coarser.
    }
  }

  /** The owner of the shard in the last sample taken at or before {@code atMs}. */
  Optional<String> ownerAt(int shard, long atMs) {
    Map.Entry<Long, Map<Integer, String>> e = samples.floorEntry(atMs);
    return e == null ? Optional.empty() : Optional.ofNullable(e.getValue().get(shard));
  }

  /**
   * The owner of the shard in the first sample taken at or after {@code atMs}: with {@link
   * #ownerAt}, what brackets the owner at that moment. A move between two samples is not seen, so a
   * node that owns the shard in the sample after an attempt may have been given it just before.
   */
  Optional<String> ownerAfter(int shard, long atMs) {
    Map.Entry<Long, Map<Integer, String>> e = samples.ceilingEntry(atMs);
    return e == null ? Optional.empty() : Optional.ofNullable(e.getValue().get(shard));
  }

  List<Long> sampleTimes() {
    return List.copyOf(samples.keySet());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
