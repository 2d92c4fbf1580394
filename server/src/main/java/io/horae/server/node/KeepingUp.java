package io.horae.server.node;

/**
 * The "keeping up" part of readiness: everything committed is applied, or under a steady load,
 * everything that was committed at the previous health tick. Apply trails the commit index by a few
 * entries at almost every instant under load, so the strict rule could call a node that keeps up
 * not ready at any tick, and a load balancer would drop it now and then. A node whose apply backlog
 * is longer than a health period is not ready.
 */
final class KeepingUp {
  /** The commit index at the last tick; Long.MAX_VALUE before the first. */
  private volatile long committedAtLastTick = Long.MAX_VALUE;

  /**
   * Whether a node that applied {@code applied} keeps up with the commit index {@code committed}.
   */
  boolean test(long applied, long committed) {
    return applied >= Math.min(committed, committedAtLastTick);
  }

  /** The health tick saw the commit index at {@code committed}; after it judged readiness. */
  void ticked(long committed) {
    committedAtLastTick = committed;
  }

  /** The commit index is unknown (the Raft server is not running): be strict again. */
  void reset() {
    committedAtLastTick = Long.MAX_VALUE;
  }
}
