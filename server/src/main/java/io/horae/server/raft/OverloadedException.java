package io.horae.server.raft;

/** A bounded queue is full. Nothing was done; the caller may retry after a short wait. */
public final class OverloadedException extends RuntimeException {
  public OverloadedException(String message) {
    super(message);
  }
}
