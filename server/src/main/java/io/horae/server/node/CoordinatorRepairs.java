package io.horae.server.node;

import io.horae.api.v1.SnapshotResponse;
import io.horae.server.coord.Coordinator;
import io.horae.server.member.MembershipOps;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The node's side of the coordinator's log repairs: leadership moves and snapshots. */
final class CoordinatorRepairs implements Coordinator.Repairs {
  /** The node's membership operations, built after the coordinator. */
  private final Supplier<MembershipOps> membership;

  private final NodeRaft raft;

  CoordinatorRepairs(Supplier<MembershipOps> membership, NodeRaft raft) {
    this.membership = membership;
    this.raft = raft;
  }

  @Override
  public void handOver(Set<String> candidates) {
    membership.get().handOver(candidates);
  }

  @Override
  public CompletableFuture<Long> snapshot() {
    return membership.get().snapshotHere().thenApply(SnapshotResponse::getIndex);
  }

  @Override
  public long logStartIndex() {
    return raft.division().getRaftLog().getStartIndex();
  }
}
