package io.horae.cli.common;

/**
 * A failure whose message already says all a user needs (what, where, what to do), so it is printed
 * as it is, without the hint at {@code --verbose}; exit code 1.
 */
public class CommandFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CommandFailure(String message) {
    super(message);
  }

  public CommandFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
