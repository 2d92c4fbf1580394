package io.horae.server.secret;

/**
 * A stored secret that cannot be opened. Messages never hold secret material. An
 * IllegalArgumentException, so a delivery that meets one fails like any unsendable request.
 */
public final class SecretException extends IllegalArgumentException {
  public SecretException(String message) {
    super(message);
  }
}
