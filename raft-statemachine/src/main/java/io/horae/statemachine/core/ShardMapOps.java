package io.horae.statemachine.core;

import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.Released;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import java.util.Optional;

/**
 * Replaces the shard map by compare-and-set on its epoch. The per-shard epochs are derived here,
 * not taken from the proposer: a shard whose owner changes gets the new epoch, the others keep
 * theirs, so work on unmoved shards goes on. A live hand-off records which old owner (and which of
 * its tenures) must release the shard before the new owner starts it ({@link #released}).
 */
final class ShardMapOps {
  private ShardMapOps() {}

  static OpResult set(State state, SetShardMap op, long entryTerm) {
    if (staleTerm(op.getLeaderTerm(), entryTerm)) {
      return staleTermRejection(op.getLeaderTerm(), entryTerm);
    }
    Optional<ShardMap> current = state.shardMap();
    long currentEpoch = current.map(ShardMap::getEpoch).orElse(0L);
    ShardMap proposed = op.getMap();
    if (op.getExpectedEpoch() != currentEpoch) {
      return Results.reject(
          RejectCode.REJECT_STALE_EPOCH,
          "expected epoch " + op.getExpectedEpoch() + " but the map is at " + currentEpoch);
    }
    if (proposed.getEpoch() <= currentEpoch) {
      return Results.reject(
          RejectCode.REJECT_INVALID,
          "new epoch " + proposed.getEpoch() + " must exceed " + currentEpoch);
    }
    int shards = proposed.getOwnersCount();
    if (shards == 0 || shards > 0xffff) {
      return Results.reject(RejectCode.REJECT_INVALID, "shard count out of range: " + shards);
    }
    if (current.isPresent() && current.get().getOwnersCount() != shards) {
      return Results.reject(
          RejectCode.REJECT_INVALID,
          "shard count is fixed at " + current.get().getOwnersCount() + ", got " + shards);
    }
    java.util.Set<Integer> handoffs = new java.util.HashSet<>(op.getLiveHandoffShardsList());
    ShardMap.Builder next = ShardMap.newBuilder().setEpoch(proposed.getEpoch());
    for (int i = 0; i < shards; i++) {
      String owner = proposed.getOwners(i);
      next.addOwners(owner);
      boolean unchanged = current.isPresent() && current.get().getOwners(i).equals(owner);
      next.addShardEpochs(unchanged ? current.get().getShardEpochs(i) : proposed.getEpoch());
      boolean pending = current.isPresent() && Shards.handoffPending(current.get(), i);
      if (unchanged && pending) {
        // The owner stays and still waits for the old owner's Released.
        handoff(next, current.get().getHandoffFrom(i), current.get().getHandoffFromEpoch(i));
      } else if (!unchanged && current.isPresent() && handoffs.contains(i)) {
        // A live hand-off. A shard moved again before it was released still waits for the
        // first old owner, which may have calls in flight; the owner in between started none.
        handoff(
            next,
            pending ? current.get().getHandoffFrom(i) : current.get().getOwners(i),
            pending ? current.get().getHandoffFromEpoch(i) : current.get().getShardEpochs(i));
      } else {
        next.addHandoff(false).addHandoffFrom("").addHandoffFromEpoch(0);
      }
    }
    ShardMap map = next.build();
    state.putShardMap(map);
    return OpResult.newBuilder().setShardMap(map).build();
  }

  /**
   * The hand-off barrier: the old owner (or the leader on behalf of a silent one) says it has no
   * call in flight for the shard and its results are committed. Clears the shard's handoff flag if
   * the pending hand-off is from that node and tenure; otherwise changes nothing (a late or
   * repeated Released is harmless), and answers the map either way.
   */
  static OpResult released(State state, Released op, long entryTerm) {
    if (staleTerm(op.getLeaderTerm(), entryTerm)) {
      return staleTermRejection(op.getLeaderTerm(), entryTerm);
    }
    Optional<ShardMap> current = state.shardMap();
    if (current.isEmpty()) {
      return Results.reject(RejectCode.REJECT_NOT_READY, "the cluster has no shard map yet");
    }
    ShardMap map = current.get();
    int shard = op.getShard();
    if (shard < 0 || shard >= map.getOwnersCount()) {
      return Results.reject(RejectCode.REJECT_INVALID, "shard " + shard + " out of range");
    }
    if (!Shards.handoffPending(map, shard)
        || !map.getHandoffFrom(shard).equals(op.getNodeId())
        || map.getHandoffFromEpoch(shard) != op.getEpoch()) {
      return OpResult.newBuilder().setShardMap(map).build();
    }
    ShardMap next =
        map.toBuilder()
            .setHandoff(shard, false)
            .setHandoffFrom(shard, "")
            .setHandoffFromEpoch(shard, 0)
            .build();
    state.putShardMap(next);
    return OpResult.newBuilder().setShardMap(next).build();
  }

  private static void handoff(ShardMap.Builder next, String from, long fromEpoch) {
    next.addHandoff(true).addHandoffFrom(from).addHandoffFromEpoch(fromEpoch);
  }

  /**
   * A leader's decision (leaderTerm > 0) counts only in an entry of its own term: in any other, the
   * leader that decided no longer leads and decided from a view that may be stale.
   */
  private static boolean staleTerm(long leaderTerm, long entryTerm) {
    return leaderTerm != 0 && leaderTerm != entryTerm;
  }

  private static OpResult staleTermRejection(long leaderTerm, long entryTerm) {
    return Results.reject(
        RejectCode.REJECT_STALE_TERM,
        "decided by the leader of term "
            + leaderTerm
            + " but committed in term "
            + entryTerm
            + ": that leader no longer leads");
  }
}
