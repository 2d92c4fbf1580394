package io.horae.server.errors;

import io.horae.internal.v1.RejectCode;

/** The state machine refused an op (it was committed, but changed nothing). */
public final class RejectedException extends RuntimeException {
  private final RejectCode code;

  /** Extra facts for the answer's ErrorInfo metadata (e.g. current_version); never input echoes. */
  private final java.util.Map<String, String> metadata;

  public RejectedException(RejectCode code, String message) {
    this(code, message, java.util.Map.of());
  }

  public RejectedException(
      RejectCode code, String message, java.util.Map<String, String> metadata) {
    super(message);
    this.code = code;
    this.metadata = java.util.Map.copyOf(metadata);
  }

  public java.util.Map<String, String> metadata() {
    return metadata;
  }

  public RejectCode code() {
    return code;
  }
}
