package io.horae.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;

/**
 * No endpoint could serve the call: every endpoint that was tried was unreachable or answered
 * {@code UNAVAILABLE}. Whether a write took effect is unknown unless it carried a request id, in
 * which case repeating it with the same id is safe.
 *
 * <p>Carries gRPC code {@code UNAVAILABLE}. Immutable and safe to share between threads.
 */
public final class UnavailableException extends HoraeException {
  private static final long serialVersionUID = 1L;

  UnavailableException(
      String message,
      List<FieldViolation> violations,
      Duration retryAfter,
      String reason,
      Throwable cause) {
    super(Status.Code.UNAVAILABLE, message, violations, retryAfter, reason, cause);
  }
}
