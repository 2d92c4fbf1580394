package io.horae.bench;

/**
 * A node of the local cluster exited without the bench stopping it, or never answered ready; the
 * message holds the node's last log lines.
 */
public final class NodeFailedException extends IllegalStateException {
  NodeFailedException(String message) {
    super(message);
  }
}
