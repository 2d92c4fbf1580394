package io.horae.cli.apply;

import io.horae.cli.common.CommandFailure;

/** Apply stopped: which job, what the server said, and what was done before. */
final class ApplyException extends CommandFailure {
  private static final long serialVersionUID = 1L;

  ApplyException(String message) {
    super(message);
  }

  ApplyException(String message, Throwable cause) {
    super(message, cause);
  }
}
