package io.horae.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;

/**
 * The resource is not in a state that allows the operation, e.g. cancelling an execution that
 * already finished ({@link HoraeException#reason()} {@code REJECT_FINISHED}). Repeating the call
 * unchanged fails the same way.
 *
 * <p>Carries gRPC code {@code FAILED_PRECONDITION}. Immutable and safe to share between threads.
 */
public final class FailedPreconditionException extends HoraeException {
  private static final long serialVersionUID = 1L;

  FailedPreconditionException(
      String message,
      List<FieldViolation> violations,
      Duration retryAfter,
      String reason,
      Throwable cause) {
    super(Status.Code.FAILED_PRECONDITION, message, violations, retryAfter, reason, cause);
  }
}
