package io.horae.server.tls;

/** The node's TLS files are missing or wrong; the message names the config key. */
public final class TlsSetupException extends RuntimeException {
  public TlsSetupException(String message) {
    super(message);
  }

  public TlsSetupException(String message, Throwable cause) {
    super(message, cause);
  }
}
