package io.horae.server.exec;

/**
 * Whether a delivery may start now: the fence checked before a call and right before it is sent.
 */
enum FenceCheck {
  GO,
  /** Not now: the lease lapsed (or this replica is behind its last acknowledgement). */
  WAIT,
  /** Never under this tenure: the shard has a new owner or epoch, who fires it instead. */
  MOVED
}
