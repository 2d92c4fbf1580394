package io.horae.server.egress;

import java.net.UnknownHostException;

/**
 * The target guard refused to connect: nothing was sent, and sending again cannot succeed until an
 * operator changes the allowlist. An {@link UnknownHostException} because OkHttp's {@code Dns} may
 * throw only that; the message is safe to store and show (host and address class, never a resolved
 * address of a name, a header value or a URL path).
 */
public final class TargetRefusedException extends UnknownHostException {
  private final String reason;

  TargetRefusedException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The refusal's class as tagged in metrics, e.g. {@code loopback}, {@code malformed}. */
  public String reason() {
    return reason;
  }

  /** Control flow, not a fault: no stack. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
