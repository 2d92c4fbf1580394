package io.horae.server.raft;

/** The node cannot serve the request now (shutting down, no leader, not ready). */
public final class UnavailableException extends RuntimeException {
  public UnavailableException(String message) {
    super(message);
  }
}
