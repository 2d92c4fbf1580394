package io.horae.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;

/**
 * The server rejected the request as malformed or invalid. {@link #violations()} names the rejected
 * fields; {@link #getMessage()} lists them as {@code field: description} joined by {@code "; "}.
 * Retrying the same request fails the same way.
 *
 * <p>Carries gRPC code {@code INVALID_ARGUMENT}. Immutable and safe to share between threads.
 */
public final class InvalidArgumentException extends HoraeException {
  private static final long serialVersionUID = 1L;

  InvalidArgumentException(
      String message,
      List<FieldViolation> violations,
      Duration retryAfter,
      String reason,
      Throwable cause) {
    super(Status.Code.INVALID_ARGUMENT, message, violations, retryAfter, reason, cause);
  }
}
