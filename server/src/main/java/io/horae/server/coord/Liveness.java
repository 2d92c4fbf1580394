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
  /** One node's latest report and when the leader received it. */
  public record Seen(NodeReport report, long atNanos) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();
  private final Set<String> peers;
  private final LongSupplier nanos;

  public Liveness(Set<String> peers, LongSupplier nanos) {
    this.peers = Set.copyOf(peers);
    this.nanos = nanos;
  }

  /** Records a report; false for a node that is not a configured peer. */
  public boolean heard(NodeReport report) {
    if (!peers.contains(report.getNodeId())) {
      return false;
    }
    seen.put(report.getNodeId(), new Seen(report, nanos.getAsLong()));
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
