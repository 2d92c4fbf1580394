package io.horae.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;

/**
 * A job with the same namespace and name already exists (a create with a new request id for an
 * existing job).
 *
 * <p>Carries gRPC code {@code ALREADY_EXISTS}. Immutable and safe to share between threads.
 */
public final class AlreadyExistsException extends HoraeException {
  private static final long serialVersionUID = 1L;

  AlreadyExistsException(
      String message,
      List<FieldViolation> violations,
      Duration retryAfter,
      String reason,
      Throwable cause) {
    super(Status.Code.ALREADY_EXISTS, message, violations, retryAfter, reason, cause);
  }
}
