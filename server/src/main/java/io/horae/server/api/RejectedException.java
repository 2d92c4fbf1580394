package io.horae.server.api;

import io.horae.internal.v1.RejectCode;

/** The state machine refused an op (it was committed, but changed nothing). */
public final class RejectedException extends RuntimeException {
  private final RejectCode code;

  public RejectedException(RejectCode code, String message) {
    super(message);
    this.code = code;
  }

  public RejectCode code() {
    return code;
  }
}
