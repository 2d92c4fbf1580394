package io.horae.server.coord;

import io.horae.internal.v1.Op;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import io.horae.server.raft.Proposer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: gives the cluster its first shard map, spreading the shards evenly over the
 * configured nodes in id order. Moving shards away from failed nodes is the next stage (leases and
 * rebalancing); the map's compare-and-set epoch already makes concurrent proposals safe.
 */
public final class Coordinator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  static final long CHECK_INTERVAL_MILLIS = 250;

  private final BooleanSupplier isLeader;
  private final Supplier<Optional<ShardMap>> current;
  private final Proposer proposer;
  private final List<String> nodeIds;
  private final int shardCount;
  private final AtomicBoolean proposing = new AtomicBoolean();
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("horae-coordinator").daemon().factory());

  public Coordinator(BooleanSupplier isLeader, Supplier<Optional<ShardMap>> current, Proposer proposer, List<String> nodeIds, int shardCount) {
    this.isLeader = isLeader;
    this.current = current;
    this.proposer = proposer;
    this.nodeIds = nodeIds.stream().sorted().toList();
    this.shardCount = shardCount;
  }

  public Coordinator start() {
    loop.scheduleWithFixedDelay(this::check, 0, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The even initial map: shard i goes to node i mod N. */
  public static ShardMap evenMap(long epoch, List<String> sortedNodeIds, int shardCount) {
    ShardMap.Builder map = ShardMap.newBuilder().setEpoch(epoch);
    for (int i = 0; i < shardCount; i++) {
      map.addOwners(sortedNodeIds.get(i % sortedNodeIds.size()));
    }
    return map.build();
  }

  private void check() {
    try {
      if (!isLeader.getAsBoolean() || current.get().isPresent() || !proposing.compareAndSet(false, true)) {
        return;
      }
      SetShardMap set = SetShardMap.newBuilder().setExpectedEpoch(0).setMap(evenMap(1, nodeIds, shardCount)).build();
      proposer
          .propose(Op.newBuilder().setSetShardMap(set).build())
          .whenComplete(
              (r, error) -> {
                proposing.set(false);
                if (error != null) {
                  LOG.warn("initial shard map not set; will retry", error);
                } else if (r.hasRejection()) {
                  LOG.info("initial shard map refused: {}", r.getRejection().getMessage());
                } else {
                  LOG.info("shard map set epoch={} shards={} nodes={}", r.getShardMap().getEpoch(), shardCount, nodeIds);
                }
              });
    } catch (RuntimeException e) {
      proposing.set(false);
      LOG.warn("coordinator check failed", e);
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
