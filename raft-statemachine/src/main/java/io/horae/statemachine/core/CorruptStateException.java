package io.horae.statemachine.core;

/**
 * A broken invariant of the replicated state. The node must stop rather than continue with state
 * that may have diverged from the other replicas.
 */
public final class CorruptStateException extends RuntimeException implements StorageFault {
  public CorruptStateException(String message, Throwable cause) {
    super(message, cause);
  }

  public CorruptStateException(String message) {
    super(message);
  }
}
