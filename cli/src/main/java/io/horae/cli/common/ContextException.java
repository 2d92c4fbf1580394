package io.horae.cli.common;

/** The context file is malformed or names no such context; the message says where. */
public final class ContextException extends RuntimeException {
  public ContextException(String message) {
    super(message);
  }

  public ContextException(String message, Throwable cause) {
    super(message, cause);
  }
}
