package io.horae.server.coord;

import io.horae.internal.v1.NodeReport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The leader's record of the last report of each node, on the leader's monotonic clock. Bounded:
 * one entry per member of the Raft configuration; reports from other ids are refused, which is how
 * a removed node that keeps running stops getting lease acknowledgements.
 */
public final class Liveness {
  /**
   * One node's latest report, when the leader received it, and since when the node has reported
   * without a silence longer than the tolerated one (the start of its current streak).
   */
  public record Seen(NodeReport report, long atNanos, long sinceNanos) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final java.util.function.Supplier<? extends java.util.Collection<String>> members;
  private final LongSupplier nanos;
  private final long silenceNanos;

  /**
   * Milliseconds since a node last answered this leader's Raft traffic (Long.MAX_VALUE: never, or
   * not leading).
   */
  private final java.util.function.ToLongFunction<String> raftAnswerAgeMillis;

  /**
   * @param members the current members, asked on every report (the Raft configuration)
   * @param silenceNanos a gap between reports longer than this ends a streak (lease + margin)
   * @param raftAnswerAgeMillis milliseconds since a node last answered this leader's Raft traffic
   */
  public Liveness(
      java.util.function.Supplier<? extends java.util.Collection<String>> members,
      LongSupplier nanos,
      long silenceNanos,
      java.util.function.ToLongFunction<String> raftAnswerAgeMillis) {
    this.members = members;
    this.nanos = nanos;
    this.silenceNanos = silenceNanos;
    this.raftAnswerAgeMillis = raftAnswerAgeMillis;
  }

  /**
   * Whether the node answers this leader at the Raft level (appendEntries), even if it has not
   * reported yet: after an election, a live node's report may still be on its way to the old
   * leader, and must not be mistaken for silence.
   */
  public boolean raftResponsive(String nodeId) {
    return raftAnsweredWithin(nodeId, silenceNanos);
  }

  /** Whether the node answered this leader's Raft traffic at all in the last {@code nanos}. */
  public boolean raftAnsweredWithin(String nodeId, long nanos) {
    return raftAnswerAgeMillis.applyAsLong(nodeId)
        <= java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(nanos);
  }

  /**
   * Nanoseconds since the node last answered this leader's Raft traffic; Long.MAX_VALUE if never.
   */
  public long raftAnswerAgeNanos(String nodeId) {
    long millis = raftAnswerAgeMillis.applyAsLong(nodeId);
    return millis >= Long.MAX_VALUE / 1_000_000
        ? Long.MAX_VALUE
        : java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
  }

  /** Records a report; false for a node that is not a member. */
  public boolean heard(NodeReport report) {
    if (!members.get().contains(report.getNodeId())) {
      seen.remove(report.getNodeId());
      return false;
    }
    long now = nanos.getAsLong();
    seen.compute(
        report.getNodeId(),
        (id, before) ->
            new Seen(
                report,
                now,
                before == null || now - before.atNanos() > silenceNanos
                    ? now
                    : before.sinceNanos()));
    return true;
  }

  /**
   * The apply version of each current member: from its latest report, or, for a member this leader
   * has not heard from, from {@code inherited} (what this node learned before it led). A member in
   * neither is left out: its version is unknown.
   */
  /**
   * The members whose last report, heard within the silence bound, said their data dir is low on
   * space, sorted by id. A member silent for longer is left out: a dead node's last word must not
   * stop the cluster's writes (its shards move; it refuses writes itself when it returns).
   */
  public java.util.List<io.horae.internal.v1.DiskSpace> lowDisks() {
    long now = nanos.getAsLong();
    java.util.List<io.horae.internal.v1.DiskSpace> low = new java.util.ArrayList<>();
    for (String id : new java.util.TreeSet<>(members.get())) {
      Seen s = seen.get(id);
      if (s != null && now - s.atNanos() <= silenceNanos && s.report().getDisk().getLow()) {
        low.add(s.report().getDisk());
      }
    }
    return low;
  }

  /**
   * The member furthest behind its due work by its last report heard within the silence limit
   * (NodeReport.behind_ms), or none when every such member is on time. A silent member is left out,
   * as in {@link #lowDisks}: its shards move, and its last word must not shed the cluster's
   * creates.
   */
  public Optional<Behind> behind() {
    long now = nanos.getAsLong();
    Behind worst = null;
    for (String id : new java.util.TreeSet<>(members.get())) {
      Seen s = seen.get(id);
      if (s != null
          && now - s.atNanos() <= silenceNanos
          && s.report().getBehindMs() > 0
          && (worst == null || s.report().getBehindMs() > worst.millis())) {
        worst = new Behind(id, s.report().getBehindMs());
      }
    }
    return Optional.ofNullable(worst);
  }

  /** Most hosts {@link #hostsBehind} names. */
  static final int HOSTS_BEHIND_MAX = 16;

  /**
   * The target hosts the members heard within the silence limit report behind
   * (NodeReport.hosts_behind_ms), the longest wait per host; at most {@link #HOSTS_BEHIND_MAX}, the
   * longest waits.
   */
  public java.util.Map<String, Long> hostsBehind() {
    long now = nanos.getAsLong();
    java.util.Map<String, Long> merged = new java.util.HashMap<>();
    for (String id : members.get()) {
      Seen s = seen.get(id);
      if (s != null && now - s.atNanos() <= silenceNanos) {
        s.report().getHostsBehindMsMap().forEach((host, ms) -> merged.merge(host, ms, Math::max));
      }
    }
    java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
    merged.entrySet().stream()
        .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(HOSTS_BEHIND_MAX)
        .forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** A member, and how many ms it is behind its due work. */
  public record Behind(String nodeId, long millis) {}

  public java.util.Map<String, Integer> applyVersions(java.util.Map<String, Integer> inherited) {
    java.util.Map<String, Integer> versions = new java.util.TreeMap<>();
    for (String id : members.get()) {
      Seen s = seen.get(id);
      if (s != null) {
        versions.put(
            id, io.horae.statemachine.core.OpVersions.effective(s.report().getApplyVersion()));
      } else if (inherited.containsKey(id)) {
        versions.put(id, inherited.get(id));
      }
    }
    return versions;
  }

  public Optional<Seen> last(String nodeId) {
    return Optional.ofNullable(seen.get(nodeId));
  }

  /** Milliseconds since the last report of each member heard from, by node id. */
  public Map<String, Long> agesMillis() {
    long now = nanos.getAsLong();
    Map<String, Long> ages = new java.util.TreeMap<>();
    java.util.Collection<String> current = members.get();
    seen.forEach(
        (id, s) -> {
          if (current.contains(id)) {
            ages.put(id, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(now - s.atNanos()));
          }
        });
    return ages;
  }

  /** Forgets every report: a new leader must hear each node again. */
  public void reset() {
    seen.clear();
  }

  public long nowNanos() {
    return nanos.getAsLong();
  }
}
