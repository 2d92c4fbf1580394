package io.horae.client;

import io.horae.api.v1.ExecutionEvent;

/**
 * Receives the events of {@link ExecutionClient#watch}. Methods are called one at a time, in order,
 * on a gRPC callback thread: return quickly and do not block.
 */
public interface ExecutionWatcher {
  /** The first event is a WATCHING one; then one per change, in the cluster's log order. */
  void onEvent(ExecutionEvent event);

  /**
   * The stream ended: {@code error} is null after {@link ExecutionWatch#close()}, else why it
   * ended, e.g. a {@link ResourceExhaustedException} when the watcher fell behind. Either way, list
   * the executions again before watching again, or changes in between are missed.
   */
  void onEnd(HoraeException error);
}
