package io.horae.server.node;

import io.micrometer.core.instrument.MeterRegistry;

/** Raft-level and lease gauges of a node. */
final class NodeMetrics {
  private NodeMetrics() {}

  static void bind(MeterRegistry registry, HoraeNode node) {
    registry.gauge("horae.raft.applied.index", node, n -> n.store().appliedIndex());
    registry.gauge("horae.raft.commit.index", node, n -> safe(n::commitIndex));
    registry.gauge("horae.raft.leader", node, n -> n.isLeader() ? 1 : 0);
    registry.gauge("horae.ready", node, n -> n.ready() ? 1 : 0);
    registry.gauge("horae.lease.age.seconds", node, n -> n.leaseAgeMillis() < 0 ? Double.NaN : n.leaseAgeMillis() / 1000.0);
    registry.gauge("horae.lease.fresh", node, n -> n.leaseFresh() ? 1 : 0);
    registry.gauge("horae.shard.map.epoch", node, n -> n.appliedMapEpoch());
  }

  private static double safe(java.util.function.LongSupplier s) {
    try {
      return s.getAsLong();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
