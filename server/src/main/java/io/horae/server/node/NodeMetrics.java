package io.horae.server.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Raft-level and lease gauges of a node. Commit minus applied index is the apply lag the dashboard
 * and the alert rules in ops/ watch.
 */
final class NodeMetrics {
  /** Prometheus: horae_lease_fence_closed_seconds_total{reason}; the bench reads it per phase. */
  static final String FENCE_CLOSED = "horae.lease.fence.closed";

  private NodeMetrics() {}

  static void bind(MeterRegistry registry, HoraeNode node) {
    gauge(
        registry,
        "horae.raft.applied.index",
        node,
        n -> n.store().appliedIndex(),
        "last Raft log index this node's state machine applied");
    gauge(
        registry,
        "horae.raft.commit.index",
        node,
        n -> safe(n::commitIndex),
        "last Raft log index this node knows as committed (NaN while Raft cannot say)");
    gauge(
        registry,
        "horae.raft.leader",
        node,
        n -> n.isLeader() ? 1 : 0,
        "1 while this node is the Raft leader");
    gauge(
        registry,
        "horae.ready",
        node,
        n -> n.ready() ? 1 : 0,
        "1 while this node is ready (GET /health/ready answers 200)");
    gauge(
        registry,
        "horae.lease.age.seconds",
        node,
        n -> n.leaseAgeMillis() < 0 ? Double.NaN : n.leaseAgeMillis() / 1000.0,
        "time since this node's lease was last renewed (NaN before the first)");
    gauge(
        registry,
        "horae.lease.fresh",
        node,
        n -> n.leaseFresh() ? 1 : 0,
        "1 while this node's lease is fresh, so it may fire its shards");
    for (FenceWatch.Reason reason : FenceWatch.Reason.values()) {
      FunctionCounter.builder(FENCE_CLOSED, node, n -> n.fenceClosedSeconds(reason))
          .baseUnit("seconds")
          .tag("reason", reason.tag())
          .description(
              "time this node fired nothing because its fence was closed: no_lease, map_behind"
                  + " (leader's shard map not applied yet), apply_behind (replica behind the"
                  + " leader's applied index of one acknowledgement ago)")
          .register(registry);
    }
    gauge(
        registry,
        "horae.shard.map.epoch",
        node,
        n -> n.appliedMapEpoch(),
        "epoch of the shard map this node applied");
    bindStore(registry, node);
  }

  /**
   * RocksDB's own figures of the node's store (NaN while it is closed): the compaction debt and the
   * level-0 files that every read checks, which a large load leaves behind for minutes.
   */
  private static void bindStore(MeterRegistry registry, HoraeNode node) {
    storeGauge(
        registry,
        node,
        "horae.rocksdb.pending.compaction.bytes",
        "rocksdb.estimate-pending-compaction-bytes",
        true,
        "bytes RocksDB estimates its compactions must still rewrite, all column families");
    storeGauge(
        registry,
        node,
        "horae.rocksdb.compactions.running",
        "rocksdb.num-running-compactions",
        false,
        "RocksDB compactions running now");
    storeGauge(
        registry,
        node,
        "horae.rocksdb.l0.files",
        "rocksdb.num-files-at-level0",
        true,
        "table files in level 0, all column families (a point read checks each one's filter)");
    storeGauge(
        registry,
        node,
        "horae.rocksdb.sst.bytes",
        "rocksdb.total-sst-files-size",
        true,
        "bytes of RocksDB table files, all column families");
    storeGauge(
        registry,
        node,
        "horae.rocksdb.memtable.bytes",
        "rocksdb.cur-size-all-mem-tables",
        true,
        "bytes in RocksDB's memtables, all column families");
    storeGauge(
        registry,
        node,
        "horae.rocksdb.block.cache.usage.bytes",
        "rocksdb.block-cache-usage",
        false,
        "bytes held in the block cache (capacity storage.blockCacheBytes)");
  }

  private static void storeGauge(
      MeterRegistry registry,
      HoraeNode node,
      String name,
      String property,
      boolean perFamily,
      String description) {
    gauge(
        registry,
        name,
        node,
        n -> safe(() -> n.store().longProperty(property, perFamily)),
        description);
  }

  /** Send to acknowledgement of this node's lease reports. */
  static Timer reportRoundTrips(MeterRegistry registry) {
    return Timer.builder("horae.lease.report.round.trip")
        .description(
            "time from sending a lease report to the leader until its acknowledgement arrived;"
                + " past lease.duration minus lease.heartbeatInterval the lease lapses")
        .register(registry);
  }

  /** Receipt to answer of the reports this node acknowledged as leader. */
  static Timer reportAnswers(MeterRegistry registry) {
    return Timer.builder("horae.lease.report.answer")
        .description(
            "on the leader: time from receiving a lease report to acknowledging it (a ReadIndex"
                + " round: a majority's answer to a heartbeat, then this replica's apply reaching"
                + " the read index)")
        .register(registry);
  }

  private static void gauge(
      MeterRegistry registry,
      String name,
      HoraeNode node,
      java.util.function.ToDoubleFunction<HoraeNode> value,
      String description) {
    Gauge.builder(name, node, value).description(description).register(registry);
  }

  private static double safe(java.util.function.LongSupplier s) {
    try {
      return s.getAsLong();
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
