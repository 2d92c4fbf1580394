package io.horae.server.node;

/**
 * Notices a Raft log that says more is committed than it holds: Ratis' commit index past the last
 * entry of the log (or of the snapshot it starts from). Such a follower cannot apply the missing
 * entries and refuses every append that starts at or below its commit index, so no leader can
 * repair it; only a restart, which starts the commit index afresh, does. Ratis 3.3 reached that
 * state through its composed follower appends (docs/failover.md, "A former leader that commits past
 * its log"); RaftWiring turns those off, and this watch makes any other way there end in a restart
 * instead of a silent, spinning replica. Not thread-safe: one caller, periodically.
 */
final class CommitPastLogWatch {
  private final long graceNanos;

  /** When the log was first seen committed past its end; -1 while it is not. */
  private long sinceNanos = -1;

  /**
   * @param graceNanos how long the state must last before it counts: a follower's commit index and
   *     log end are read one after the other, and an append may move them in between
   */
  CommitPastLogWatch(long graceNanos) {
    this.graceNanos = graceNanos;
  }

  /**
   * @param committed Ratis' commit index
   * @param lastIndex the index of the log's last entry, or of the snapshot it starts from
   * @return true once the commit index has stayed past the log's end for the whole grace period
   */
  boolean wedged(long committed, long lastIndex, long nowNanos) {
    if (committed <= lastIndex) {
      sinceNanos = -1;
      return false;
    }
    if (sinceNanos < 0) {
      sinceNanos = nowNanos;
    }
    return nowNanos - sinceNanos >= graceNanos;
  }
}
