package io.horae.bench;

/**
 * A node of the local cluster exited without the bench stopping it; the message holds its last log
 * lines.
 */
public final class NodeExitedException extends IllegalStateException {
  NodeExitedException(String message) {
    super(message);
  }
}
