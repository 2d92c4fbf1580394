package io.horae.server.coord;

import io.horae.internal.v1.NodeReport;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The leader's record of the last report of each node, on the leader's monotonic clock. Bounded:
 * one entry per configured peer; reports from unknown ids are refused by the caller.
 */
public final class Liveness {
  /**
   * One node's latest report, when the leader received it, and since when the node has reported
   * without a silence longer than the tolerated one (the start of its current streak).
   */
  public record Seen(NodeReport report, long atNanos, long sinceNanos) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final Set<String> peers;
  private final LongSupplier nanos;
  private final long silenceNanos;

  /**
   * @param silenceNanos a gap between reports longer than this ends a streak (lease + margin)
   */
  public Liveness(Set<String> peers, LongSupplier nanos, long silenceNanos) {
    this.peers = Set.copyOf(peers);
    this.nanos = nanos;
    this.silenceNanos = silenceNanos;
  }

  /** Records a report; false for a node that is not a configured peer. */
  public boolean heard(NodeReport report) {
    if (!peers.contains(report.getNodeId())) {
      return false;
    }
    long now = nanos.getAsLong();
    seen.compute(
        report.getNodeId(),
        (id, before) -> new Seen(report, now, before == null || now - before.atNanos() > silenceNanos ? now : before.sinceNanos()));
    return true;
  }

  public Optional<Seen> last(String nodeId) {
    return Optional.ofNullable(seen.get(nodeId));
  }

  /** Forgets every report: a new leader must hear each node again. */
  public void reset() {
    seen.clear();
  }

  public long nowNanos() {
    return nanos.getAsLong();
  }
}
