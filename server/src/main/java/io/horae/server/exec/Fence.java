package io.horae.server.exec;

/**
 * What lets a node start a delivery (docs/failover.md): a fresh lease, renewed by the leader's
 * acknowledgements. A node that is paused, partitioned or cut off stops starting deliveries when
 * its lease runs out, before the leader may hand its shards to another node.
 */
public interface Fence {
  /** True while this node may claim and start deliveries. */
  boolean leaseFresh();

  /**
   * How long a node waits after gaining a shard from a live owner before its first delivery on
   * it: long enough for that owner's lease to have run out.
   */
  long handoffWaitNanos();

}
