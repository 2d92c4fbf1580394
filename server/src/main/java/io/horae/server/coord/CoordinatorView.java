package io.horae.server.coord;

import io.horae.internal.v1.ShardMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the coordinator looks at, taken once per check (the "snapshot" of snapshot, decide, act).
 *
 * @param nowNanos the leader's monotonic time
 * @param term the Raft term read just before {@code leading}: the decisions are bound to it (a map
 *     or release decided in term T counts only if committed in term T)
 * @param leading whether this node leads now
 * @param busy a shard-map change this coordinator proposed has not completed yet
 * @param releasing releases for silent old owners are being proposed
 * @param map the applied shard map, empty before the first
 * @param members the voting members, sorted
 * @param leaving members that are being removed
 * @param leaderApplied this (leading) node's applied index
 * @param reports each member's latest report, by node id (absent: never heard by this leader)
 * @param raftAnswerAgeNanos nanoseconds since each member last answered this leader's Raft traffic
 *     (absent or Long.MAX_VALUE: never)
 * @param unansweredNanos for a member that led before this node (the leader of this node's last
 *     acknowledged report, or of the one before from another leader): nanoseconds since it last
 *     answered this node's reports (absent: no such member)
 */
record CoordinatorView(
    long nowNanos,
    long term,
    boolean leading,
    boolean busy,
    boolean releasing,
    Optional<ShardMap> map,
    List<String> members,
    Set<String> leaving,
    long leaderApplied,
    Map<String, Liveness.Seen> reports,
    Map<String, Long> raftAnswerAgeNanos,
    Map<String, Long> unansweredNanos) {

  Optional<Liveness.Seen> seen(String nodeId) {
    return Optional.ofNullable(reports.get(nodeId));
  }

  boolean raftAnsweredWithin(String nodeId, long nanos) {
    return raftAnswerAgeNanos.getOrDefault(nodeId, Long.MAX_VALUE) <= nanos;
  }

  /**
   * Whether {@code nodeId} led before this node and stopped answering this node's reports more than
   * {@code nanos} ago.
   */
  boolean unansweredFor(String nodeId, long nanos) {
    Long age = unansweredNanos.get(nodeId);
    return age != null && age > nanos;
  }

  /** The same view with no report heard: a new leader hears every node afresh. */
  CoordinatorView withoutReports() {
    return new CoordinatorView(
        nowNanos,
        term,
        leading,
        busy,
        releasing,
        map,
        members,
        leaving,
        leaderApplied,
        Map.of(),
        raftAnswerAgeNanos,
        unansweredNanos);
  }
}
