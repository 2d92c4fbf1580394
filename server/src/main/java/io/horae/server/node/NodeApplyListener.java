package io.horae.server.node;

import io.horae.api.v1.ExecutionStatus;
import io.horae.server.config.HoraeConfig;
import io.horae.server.exec.Executor;
import io.horae.server.watch.WatchHub;
import io.horae.statemachine.core.Applied;
import io.horae.statemachine.core.ExecutionChange;
import io.horae.statemachine.core.Executions;
import io.horae.statemachine.ratis.ApplyListener;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's listener on its state machine: what an applied entry changed goes to the shard map, the
 * executor and the watches; a Raft server that closes or a log that cannot be written while the
 * node runs completes the node's {@code raftLost} (HoraeNode#raftLost).
 *
 * <p>Signals only: runs on the Ratis applier thread.
 */
final class NodeApplyListener implements ApplyListener {
  /** The node's logger: these lines were HoraeNode's before the listener had a file of its own. */
  private static final Logger LOG = LoggerFactory.getLogger(HoraeNode.class);

  private final HoraeConfig config;
  private final ShardMapView shardMap;
  private final Supplier<Executor> executor;
  private final Supplier<WatchHub> watches;
  private final BooleanSupplier stopping;
  private final CompletableFuture<Void> raftLost;

  /**
   * {@code executor} and {@code watches}: null until the node built them; {@code stopping}: an
   * orderly stop began.
   */
  NodeApplyListener(
      HoraeConfig config,
      ShardMapView shardMap,
      Supplier<Executor> executor,
      Supplier<WatchHub> watches,
      BooleanSupplier stopping,
      CompletableFuture<Void> raftLost) {
    this.config = config;
    this.shardMap = shardMap;
    this.executor = executor;
    this.watches = watches;
    this.stopping = stopping;
    this.raftLost = raftLost;
  }

  @Override
  public void onApplied(long index, Applied applied) {
    if (applied.shardMapChanged()) {
      shardMap.invalidate();
    }
    Executor executor = this.executor.get();
    if ((applied.dueChanged() || applied.shardMapChanged()) && executor != null) {
      executor.wake();
    }
    if (executor != null) {
      for (ExecutionChange c : applied.executions()) {
        if (c.execution().getStatus() == ExecutionStatus.EXECUTION_STATUS_CANCELLED) {
          executor.cancelled(c.execution().getId());
        } else if (Executions.isLive(c.execution())) {
          executor.due(c.execution());
        }
      }
    }
    WatchHub watches = this.watches.get();
    if (watches != null) {
      watches.onApplied(index, applied.executions());
    }
  }

  @Override
  public void onClosed() {
    if (!stopping.getAsBoolean() && !raftLost.isDone()) {
      LOG.error(
          "the Raft server of node={} closed while the node runs (the cause is logged above): it can no longer apply or vote",
          config.node().id());
      raftLost.complete(null);
    }
  }

  @Override
  public void onLogFailed(Throwable cause) {
    // Ratis' log worker fails every later write after one IOException (a full disk, a bad
    // device) without closing the server: the node would stay a member that can neither append
    // nor vote. Treated as a lost Raft server, so `horae server` exits and its supervisor
    // restarts it; the log up to the last fsynced entry is intact and replays.
    if (!stopping.getAsBoolean() && !raftLost.isDone()) {
      LOG.error(
          "the Raft log of node={} can no longer be written (data dir {}): stopping",
          config.node().id(),
          config.node().dataDir(),
          cause);
      raftLost.complete(null);
    }
  }

  @Override
  public void onRestored(long index) {
    shardMap.invalidate();
    WatchHub watches = this.watches.get();
    if (watches != null) {
      watches.onRestored(index);
    }
    Executor executor = this.executor.get();
    if (executor != null) {
      executor.restored();
    }
  }
}
