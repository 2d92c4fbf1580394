package io.horae.server.coord;

import io.horae.internal.v1.Released;
import io.horae.internal.v1.SetShardMap;
import java.util.List;
import java.util.Set;

/** What one coordinator decision asks the shell to do (see {@link CoordinatorCore#decide}). */
sealed interface CoordinatorEffect {
  /** Why a map changes: the first map, shards leaving silent or draining nodes, or a rebalance. */
  enum Kind {
    FIRST,
    FAILOVER,
    REBALANCE
  }

  /** Forget every report: this node just became leader and must hear each node afresh. */
  record ResetLiveness() implements CoordinatorEffect {}

  /**
   * Propose a new map. Until it completes, the nodes in {@code withhold} get no lease ack: they are
   * silent owners the map takes shards from (see {@link Coordinator#withholdsLease}).
   */
  record ProposeMap(
      SetShardMap set,
      Kind kind,
      int moves,
      Set<String> withhold,
      Set<String> live,
      Set<String> draining)
      implements CoordinatorEffect {}

  /** Release hand-offs on behalf of silent old owners (DESIGN §6 step 5). */
  record ReleaseSilent(List<Released> releases) implements CoordinatorEffect {}

  /**
   * Hand leadership to one of {@code to}: the {@code frozen} members need a new leader to repair
   * their logs.
   */
  record HandOver(Set<String> frozen, Set<String> to, long waitedNanos)
      implements CoordinatorEffect {}

  /**
   * Take a snapshot on this leader, so that Ratis purges its log up to it and sends the {@code
   * stalled} members that snapshot instead of entries they refuse (see {@link
   * CoordinatorCore#RESYNC_GAP_FACTOR}); if the purge left the log starting at or before {@code
   * lowestApplied + 1} (its first segment still open), hand leadership to one of {@code to}, whose
   * log starts a new segment with its term.
   */
  record Resync(Set<String> stalled, long lowestApplied, Set<String> to)
      implements CoordinatorEffect {}
}
