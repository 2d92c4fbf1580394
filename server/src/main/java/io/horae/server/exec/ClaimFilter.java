package io.horae.server.exec;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.statemachine.core.Executions;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;

/** Which due executions of its shards this node's executor may claim now, from its replica. */
final class ClaimFilter {
  private final String nodeId;
  private final StoreReader store;
  /** Every claim this executor makes expires at or after this. */
  private final long ownClaimsExpireFromMs;

  ClaimFilter(String nodeId, StoreReader store, long ownClaimsExpireFromMs) {
    this.nodeId = nodeId;
    this.store = store;
    this.ownClaimsExpireFromMs = ownClaimsExpireFromMs;
  }

  /**
   * @param othersDone false while a shard handed over by a live owner is in its wait: executions
   *     that owner still holds are in flight (it gave back the others), so they are left to it,
   *     its results count and nothing is sent twice
   */
  boolean claimable(String id, long now, long shardEpoch, boolean othersDone) {
    byte[] bytes = store.get(Family.EXECUTIONS, Keys.execution(id));
    if (bytes == null) {
      return false;
    }
    Execution e = Executions.parse(bytes);
    boolean heldByOther =
        e.getStatus() == ExecutionStatus.EXECUTION_STATUS_CLAIMED && !e.getClaimNode().equals(nodeId) && e.getClaimExpiryMs() > now;
    if (!othersDone && heldByOther) {
      return false;
    }
    if (claimedByThisProcess(e, now)) {
      // In flight, or its result is committed but not yet applied here: taking it back would
      // deliver it twice. Only claims of an earlier run of this node are taken back.
      return false;
    }
    return Executions.claimable(e, now, shardEpoch, nodeId);
  }

  /**
   * A live claim of this node made since this executor started: its expiry is at least start +
   * lookahead + claimTtl, which no claim of an earlier run of the process can reach.
   */
  private boolean claimedByThisProcess(Execution e, long now) {
    return e.getStatus() == ExecutionStatus.EXECUTION_STATUS_CLAIMED
        && e.getClaimNode().equals(nodeId)
        && e.getClaimExpiryMs() > now
        && e.getClaimExpiryMs() >= ownClaimsExpireFromMs;
  }
}
