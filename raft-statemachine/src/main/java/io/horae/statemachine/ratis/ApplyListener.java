package io.horae.statemachine.ratis;

import io.horae.statemachine.core.Applied;

/** The shell's hook into apply: called on the applier thread, so it must only signal, not work. */
public interface ApplyListener {
  ApplyListener NONE = new ApplyListener() {};

  default void onApplied(long index, Applied applied) {}

  /** The whole state was replaced from a snapshot. */
  default void onRestored(long index) {}

  /**
   * The state machine is closing: the node stops, or Ratis closed this node's Raft server after a
   * failure (Ratis closes it when apply or a snapshot throws, or its log cannot be written).
   */
  default void onClosed() {}

  /**
   * Ratis could not write this node's Raft log (for example the disk is full). Its log worker then
   * fails every later write until the process restarts, without closing the server.
   */
  default void onLogFailed(Throwable cause) {}
}
