package io.horae.server.exec;

import io.horae.internal.v1.ShardMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's tenures of the shards it owns, and the fence check made before every delivery
 * (docs/failover.md): the shard is still this node's under the claim's epoch, the lease is fresh,
 * and a shard handed over by a live owner has waited out that owner's lease. What that owner
 * still holds after it gave back its unstarted claims is in flight: it is left to it until its
 * attempts can have ended and their results been recorded.
 */
final class ShardTenures {
  /** Whether a delivery may start now. */
  enum Check {
    GO,
    /** Not yet: the lease lapsed, or the hand-off wait is running. */
    WAIT,
    /** Never: the shard has a new tenure, and its owner re-claims the execution. */
    MOVED
  }

  /**
   * A tenure of one shard: from which epoch, when it may start deliveries, and when the old
   * owner's claims may be taken (its in-flight attempts ended).
   */
  private record Tenure(long epoch, long readyAtNanos, long othersDoneAtNanos) {}

  private final String nodeId;
  private final Fence fence;
  /** How long a live old owner's in-flight attempts may take: delivery timeout plus recording. */
  private final long inflightWaitNanos;
  /** Set when a tenure of this node ends (its shard moved, or came back under a later epoch). */
  private final java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
  /** Owned shards' tenures, by shard; refreshed from the map on every scan. */
  private final Map<Integer, Tenure> tenures = new ConcurrentHashMap<>();

  ShardTenures(String nodeId, Fence fence, long inflightWaitNanos) {
    this.nodeId = nodeId;
    this.fence = fence;
    this.inflightWaitNanos = inflightWaitNanos;
  }

  /** The shards this node owns in the map; forgets the tenures of the others. */
  List<Integer> owned(ShardMap map) {
    List<Integer> mine = new ArrayList<>();
    for (int s = 0; s < map.getOwnersCount(); s++) {
      if (map.getOwners(s).equals(nodeId)) {
        mine.add(s);
        tenure(map, s);
      } else if (tenures.remove(s) != null) {
        ended.set(true);
      }
    }
    return mine;
  }

  /** Whether a tenure ended since the last call: claims made under it may need giving back. */
  boolean takeEnded() {
    return ended.getAndSet(false);
  }

  /** False while an owned shard handed over by a live owner is still in its wait. */
  boolean settled(ShardMap map, int shard) {
    return System.nanoTime() - tenure(map, shard).readyAtNanos() >= 0;
  }

  /** False while the live old owner of an owned shard may still have attempts in flight. */
  boolean othersDone(ShardMap map, int shard) {
    return System.nanoTime() - tenure(map, shard).othersDoneAtNanos() >= 0;
  }

  Check check(Optional<ShardMap> found, int shard, long shardEpoch) {
    if (found.isEmpty() || !found.get().getOwners(shard).equals(nodeId) || found.get().getShardEpochs(shard) != shardEpoch) {
      return Check.MOVED;
    }
    if (!fence.leaseFresh()) {
      return Check.WAIT;
    }
    return settled(found.get(), shard) ? Check.GO : Check.WAIT;
  }

  /**
   * The tenure of an owned shard, started when this node first saw it at its current epoch. A
   * shard handed over by a live owner becomes ready only after that owner's lease has run out.
   */
  private Tenure tenure(ShardMap map, int shard) {
    long epoch = map.getShardEpochs(shard);
    return tenures.compute(
        shard,
        (s, t) -> {
          if (t != null && t.epoch() == epoch) {
            return t;
          }
          if (t != null) {
            ended.set(true);
          }
          boolean handoff = shard < map.getHandoffCount() && map.getHandoff(shard);
          long ready = System.nanoTime() + (handoff ? fence.handoffWaitNanos() : 0);
          return new Tenure(epoch, ready, ready + (handoff ? inflightWaitNanos : 0));
        });
  }
}
