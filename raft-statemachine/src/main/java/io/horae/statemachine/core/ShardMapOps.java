package io.horae.statemachine.core;

import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import java.util.Optional;

/**
 * Replaces the shard map by compare-and-set on its epoch. The per-shard epochs are derived here,
 * not taken from the proposer: a shard whose owner changes gets the new epoch, the others keep
 * theirs, so claims on unmoved shards stay valid.
 */
final class ShardMapOps {
  private ShardMapOps() {}

  static OpResult set(State state, SetShardMap op) {
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
      // A shard keeps its flag while its owner stays; a move sets it from the proposal.
      next.addHandoff(
          unchanged
              ? i < current.get().getHandoffCount() && current.get().getHandoff(i)
              : current.isPresent() && handoffs.contains(i));
    }
    ShardMap map = next.build();
    state.putShardMap(map);
    return OpResult.newBuilder().setShardMap(map).build();
  }
}
