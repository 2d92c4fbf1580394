package io.horae.server.node;

import io.horae.api.v1.NodeStatus;
import io.horae.api.v1.StateDigest;
import io.horae.internal.v1.LocalStatusReply;
import io.horae.internal.v1.NodeReport;
import io.horae.server.exec.Executor;
import io.horae.statemachine.storage.RocksStore;
import org.apache.ratis.server.RaftServer;

/**
 * What a node says of itself: the report its lease keeper sends the leader, its status for the
 * cluster API (on the leader with the ages of the members' reports), and its replica's digest. Read
 * from the node's parts as they are at each call; the executor is null until the node built it.
 */
final class NodeReports {
  private final HoraeNode node;

  NodeReports(HoraeNode node) {
    this.node = node;
  }

  NodeReport report() {
    int owned = shardsOwned();
    Executor executor = node.executor();
    return NodeReport.newBuilder()
        .setNodeId(node.id())
        .setAppliedIndex(node.store().appliedIndex())
        .setHandedIndex(Math.max(0, node.stateMachine().handedIndex()))
        .setCommitIndex(node.raft().committedIndex())
        .setShardsOwned(owned)
        .setWindowSize(executor == null ? 0 : executor.windowSize())
        .setInFlight(executor == null ? 0 : executor.inFlight())
        .setBehindMs(executor == null ? 0 : executor.behindMs())
        .putAllHostsBehindMs(executor == null ? java.util.Map.of() : executor.hostsBehind())
        .setCapacity(node.config().exec().dispatchConcurrency())
        .setMapEpoch(node.appliedMapEpoch())
        .setApplyVersion(node.config().node().applyVersion())
        .setDisk(node.disk().local())
        .addAllHostBreakers(executor == null ? java.util.List.of() : executor.hostBreakers())
        .build();
  }

  NodeStatus localStatus() {
    RaftServer.Division d = node.raft().division();
    int owned = shardsOwned();
    Executor executor = node.executor();
    return NodeStatus.newBuilder()
        .setId(node.id())
        .setApiAddress(node.config().self().api().toString())
        .setRaftAddress(node.config().self().raft().toString())
        .setRole(d.getInfo().getCurrentRole().name())
        .setTerm(d.getInfo().getCurrentTerm())
        .setAppliedIndex(node.store().appliedIndex())
        .setCommitIndex(node.raft().committedIndex())
        .setShardsOwned(owned)
        .setReachable(true)
        .setLeaseFresh(node.leaseFresh())
        .setOwnLeaseAgeMs(node.leaseAgeMillis())
        .setAppliedMapEpoch(node.appliedMapEpoch())
        .addAllHostBreakers(executor == null ? java.util.List.of() : executor.hostBreakers())
        .build();
  }

  /** This node's status and, on the leader, how long ago it heard each member's report. */
  LocalStatusReply localReply() {
    var reply = LocalStatusReply.newBuilder().setStatus(localStatus());
    if (node.isLeader()) {
      reply.putAllReportAgesMs(node.liveness().agesMillis());
    }
    return reply.build();
  }

  /** This replica's digest, from one consistent view of its store. */
  StateDigest stateDigest() {
    RocksStore.Digest d = node.store().consistentDigest();
    return StateDigest.newBuilder()
        .setNodeId(node.id())
        .setAppliedIndex(d.appliedIndex())
        .setSha256(java.util.HexFormat.of().formatHex(d.sha256()))
        .build();
  }

  /** The shards the applied shard map gives this node; 0 before a map. */
  private int shardsOwned() {
    return node.shardMap()
        .map(m -> (int) m.getOwnersList().stream().filter(node.id()::equals).count())
        .orElse(0);
  }
}
