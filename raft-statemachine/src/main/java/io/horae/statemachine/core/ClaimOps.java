package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.internal.v1.Claim;
import io.horae.internal.v1.ClaimResult;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ShardMap;
import java.util.Optional;

/**
 * PENDING (or retry-waiting, or stale-claimed) → CLAIMED, per id, when the claiming node owns the
 * execution's shard in the current map and made the claim under its current tenure.
 */
final class ClaimOps {
  private ClaimOps() {}

  static OpResult claim(State state, Claim op) {
    Optional<ShardMap> map = state.shardMap();
    if (map.isEmpty()) {
      return Results.reject(RejectCode.REJECT_NOT_READY, "the cluster has no shard map yet");
    }
    ClaimResult.Builder result = ClaimResult.newBuilder();
    for (String id : op.getExecutionIdsList()) {
      Optional<Execution> found = state.execution(id);
      if (found.isEmpty() || !mayClaim(found.get(), op, map.get())) {
        result.addRejected(id);
        continue;
      }
      state.putExecution(
          found.get().toBuilder()
              .setStatus(ExecutionStatus.EXECUTION_STATUS_CLAIMED)
              .setClaimNode(op.getNodeId())
              .setClaimEpoch(op.getEpoch())
              .setClaimExpiryMs(op.getExpiryMs())
              .build());
      result.addGranted(id);
    }
    return OpResult.newBuilder().setClaim(result).build();
  }

  private static boolean mayClaim(Execution e, Claim op, ShardMap map) {
    int shard = e.getShard();
    if (shard >= map.getOwnersCount() || !map.getOwners(shard).equals(op.getNodeId())) {
      return false;
    }
    long shardEpoch = map.getShardEpochs(shard);
    return op.getEpoch() >= shardEpoch
        && op.getEpoch() <= map.getEpoch()
        && Executions.claimable(e, op.getNowMs(), shardEpoch, op.getNodeId());
  }
}
