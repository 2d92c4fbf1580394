package io.horae.server.coord;

import java.util.HashMap;
import java.util.Map;

/**
 * Live nodes that are far behind the leader, as the leader's coordinator sees them from their
 * reports. A node behind for a while gives up its shards (it cannot deliver what it has not
 * applied); one that also makes no progress at all is stuck at the Raft level, which a new leader
 * repairs. So is one that answers Raft but never reports (see {@link #observeMute}). Only the
 * coordinator's thread uses it.
 *
 * <p>Why a new leader: Ratis 3.3 keeps a follower's match index from an earlier reply even when the
 * follower comes back with a shorter log (it answered a heartbeat before its last entries were
 * written, then restarted; or its disk was replaced). The leader then never sends what the follower
 * lacks: it retries from match index + 1, and the follower answers INCONSISTENCY forever
 * (RATIS-2605, RATIS-2523). A new leader starts every follower afresh and repairs the log.
 */
final class LaggingNodes {
  /** One lagging node: since when it is behind, and when its progress (see observe) last moved. */
  private static final class Lag {
    final long sinceNanos;
    long applied;
    long handed;
    long progressNanos;

    Lag(long nowNanos, long applied, long handed) {
      this.sinceNanos = nowNanos;
      this.applied = applied;
      this.handed = handed;
      this.progressNanos = nowNanos;
    }
  }

  private final Map<String, Lag> lags = new HashMap<>();

  /** Nodes that answer the leader's Raft traffic but send no reports: since when. */
  private final Map<String, Long> muteSince = new HashMap<>();

  private final long behindEntries;

  /**
   * @param behindEntries how far behind the leader's applied index a node counts as lagging
   */
  LaggingNodes(long behindEntries) {
    this.behindEntries = behindEntries;
  }

  /**
   * Records a live node's applied index and how far its state machine has been handed the log
   * ({@code handed}: a restarted node replays entries its store already holds, up to
   * raft.snapshotEveryEntries of them, before it applies anything new, and is not stuck while it
   * does); returns whether it is lagging. Progress is either index moving.
   */
  boolean observe(String id, long applied, long handed, long leaderApplied, long nowNanos) {
    if (leaderApplied - applied <= behindEntries) {
      lags.remove(id);
      return false;
    }
    Lag lag = lags.get(id);
    if (lag == null) {
      lags.put(id, new Lag(nowNanos, applied, handed));
    } else if (applied > lag.applied || handed > lag.handed) {
      lag.applied = Math.max(lag.applied, applied);
      lag.handed = Math.max(lag.handed, handed);
      lag.progressNanos = nowNanos;
    }
    return true;
  }

  /** Lagging for at least {@code waitNanos}: its shards should move. */
  boolean behindFor(String id, long nowNanos, long waitNanos) {
    Lag lag = lags.get(id);
    return lag != null && nowNanos - lag.sinceNanos >= waitNanos;
  }

  /** Lagging without gaining a single applied entry for at least {@code waitNanos}. */
  boolean stuckFor(String id, long nowNanos, long waitNanos) {
    Lag lag = lags.get(id);
    return lag != null && nowNanos - lag.progressNanos >= waitNanos;
  }

  /**
   * Records whether a node is mute: it answers the leader at the Raft level but its reports do not
   * arrive. A restarted follower whose log Ratis never repairs is like that: it does not know the
   * leader (every append is refused), so it has nowhere to report to.
   */
  void observeMute(String id, boolean mute, long nowNanos) {
    if (mute) {
      muteSince.putIfAbsent(id, nowNanos);
    } else {
      muteSince.remove(id);
    }
  }

  /** Mute for at least {@code waitNanos}. */
  boolean muteFor(String id, long nowNanos, long waitNanos) {
    Long since = muteSince.get(id);
    return since != null && nowNanos - since >= waitNanos;
  }

  /** A node not heard from any more, or removed. */
  void forget(String id) {
    lags.remove(id);
  }
}
