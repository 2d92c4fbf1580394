package io.horae.server.exec;

/**
 * What lets a node start a delivery (docs/failover.md): a fresh lease, renewed by the leader's
 * acknowledgements. A node that is paused, partitioned or cut off stops starting deliveries when
 * its lease runs out, before the leader may hand its shards to another node.
 */
public interface Fence {
  /**
   * True while this node may start deliveries that it judged its own on a shard map of epoch {@code
   * mapEpoch}: its lease is fresh, that map is at least as new as the one the leader acknowledged
   * with, and its replica has applied what the leader had applied when it acknowledged the report
   * before the last one.
   *
   * <p>The epoch is the caller's, not the replica's: a caller reads the map, finds the shard its
   * own, then asks the fence. If the replica applied a newer map in between (a thawed node learns
   * in the same few milliseconds that its shards moved and gets its first fresh ack), the fence
   * must judge the map the caller decided on, or the stale ownership passes a fresh lease.
   */
  boolean leaseFresh(long mapEpoch);
}
