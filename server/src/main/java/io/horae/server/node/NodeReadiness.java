package io.horae.server.node;

import io.horae.server.config.HoraeConfig;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a node is ready (GET /health/ready, the gRPC health service, horae.ready), and the health
 * tick that checks on the way that the node's Raft log holds what it committed.
 */
final class NodeReadiness {
  /** The node's logger: these lines were HoraeNode's before readiness had a class of its own. */
  private static final Logger LOG = LoggerFactory.getLogger(HoraeNode.class);

  /** When this node object was made, for the log line of its first readiness. */
  private final long createdNanos = System.nanoTime();

  private final String nodeId;

  /**
   * A Raft log committed past its own end for this long ends the node (CommitPastLogWatch): 8 x
   * (lease + margin), 10 s by default, far longer than an append takes between the two reads.
   */
  private final CommitPastLogWatch commitPastLog;

  private final KeepingUp keepingUp = new KeepingUp();

  /** Whether the health tick has seen this node ready; only that thread uses it. */
  private boolean everReady;

  private final NodeRaft raft;
  private final BooleanSupplier stopping;
  private final CompletableFuture<Void> raftLost;
  private final Supplier<LeaseKeeper> lease;
  private final LongSupplier appliedIndex;

  /**
   * {@code stopping}: an orderly stop began; {@code raftLost}: the node's (HoraeNode#raftLost),
   * which a wedged log completes; {@code lease}: null until the node built its lease keeper.
   */
  NodeReadiness(
      HoraeConfig config,
      NodeRaft raft,
      BooleanSupplier stopping,
      CompletableFuture<Void> raftLost,
      Supplier<LeaseKeeper> lease,
      LongSupplier appliedIndex) {
    this.nodeId = config.node().id();
    this.commitPastLog =
        new CommitPastLogWatch(config.lease().silenceBeforeMove().multipliedBy(8).toNanos());
    this.raft = raft;
    this.stopping = stopping;
    this.raftLost = raftLost;
    this.lease = lease;
    this.appliedIndex = appliedIndex;
  }

  /** The health tick: {@link #ready()}, after checking that the log holds what it committed. */
  boolean readyAfterLogCheck() {
    long committed = -1;
    if (!stopping.getAsBoolean() && !raftLost.isDone() && raft.started()) {
      try {
        org.apache.ratis.server.raftlog.RaftLog log = raft.division().getRaftLog();
        committed = log.getLastCommittedIndex();
        long last = log.getNextIndex() - 1;
        if (commitPastLog.wedged(committed, last, System.nanoTime())) {
          LOG.error(
              "the Raft log of node={} says index {} is committed but ends at {}: it can neither apply nor take appends; stopping so that a restart starts its commit index afresh",
              nodeId,
              committed,
              last);
          raftLost.complete(null);
        }
      } catch (RuntimeException e) {
        // Not started or already closed: ready() says so.
      }
    }
    boolean ready = ready();
    if (committed >= 0) {
      keepingUp.ticked(committed);
    } else {
      keepingUp.reset();
    }
    if (ready && !everReady) {
      everReady = true;
      LOG.info(
          "node={} ready {} ms after it started (applied {})",
          nodeId,
          java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createdNanos),
          appliedIndex.getAsLong());
    }
    return ready;
  }

  /**
   * Joined the group (a leader is known), caught up since it started (applied what the leader had
   * applied when it first answered this node's report, {@link LeaseKeeper#caughtUp}), keeping up
   * ({@link KeepingUp}), not stopping.
   */
  boolean ready() {
    return notReadyBecause().isEmpty();
  }

  /** Empty when {@link #ready}; otherwise the first condition that fails, in words. */
  Optional<String> notReadyBecause() {
    if (stopping.getAsBoolean()) {
      return Optional.of("stopping");
    }
    if (raftLost.isDone()) {
      return Optional.of("its Raft server stopped; the node is ending");
    }
    try {
      RaftServer.Division d = raft.division();
      if (!d.getInfo().isAlive()) {
        return Optional.of("its Raft server is not running");
      }
      if (d.getInfo().getLeaderId() == null) {
        return Optional.of("no leader known (an election is on, or the group has no majority)");
      }
      LeaseKeeper l = lease.get();
      if (l == null) {
        return Optional.of("starting");
      }
      if (!l.caughtUp()) {
        return Optional.of(l.notCaughtUpBecause());
      }
      long applied = appliedIndex.getAsLong();
      long committed = d.getRaftLog().getLastCommittedIndex();
      if (!keepingUp.test(applied, committed)) {
        return Optional.of(
            "not keeping up: applied " + applied + " of " + committed + " committed entries");
      }
      return Optional.empty();
    } catch (RuntimeException e) {
      return Optional.of("its Raft server is not running (" + e.getClass().getSimpleName() + ")");
    }
  }
}
