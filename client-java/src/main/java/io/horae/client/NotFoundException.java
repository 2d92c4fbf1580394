package io.horae.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;

/**
 * The job (or other named resource) does not exist.
 *
 * <p>Carries gRPC code {@code NOT_FOUND}. Immutable and safe to share between threads.
 */
public final class NotFoundException extends HoraeException {
  private static final long serialVersionUID = 1L;

  NotFoundException(
      String message,
      List<FieldViolation> violations,
      Duration retryAfter,
      String reason,
      Throwable cause) {
    super(Status.Code.NOT_FOUND, message, violations, retryAfter, reason, cause);
  }
}
