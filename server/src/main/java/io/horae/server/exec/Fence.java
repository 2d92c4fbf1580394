package io.horae.server.exec;

/**
 * What lets a node start a delivery (docs/failover.md): a fresh lease, renewed by the leader's
 * acknowledgements. A node that is paused, partitioned or cut off stops starting deliveries when
 * its lease runs out, before the leader may hand its shards to another node.
 */
public interface Fence {
  /**
   * True while this node may start deliveries: its lease is fresh, and its replica has applied what
   * the leader had applied when it acknowledged the report before the last one.
   */
  boolean leaseFresh();
}
