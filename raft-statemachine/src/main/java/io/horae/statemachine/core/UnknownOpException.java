package io.horae.statemachine.core;

/**
 * The log holds an op kind this node's apply does not know: it was proposed by a newer node. The
 * node stops instead of skipping it (the newer replicas applied it, so skipping would diverge); it
 * can apply the entry once it runs a version that knows the op (docs/architecture.md, "Apply
 * versions").
 */
public final class UnknownOpException extends RuntimeException {
  public UnknownOpException(String message) {
    super(message);
  }
}
