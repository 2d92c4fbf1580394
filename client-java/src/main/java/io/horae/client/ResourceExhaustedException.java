package io.horae.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;

/**
 * The server refused the call because a quota or limit was reached; nothing was written. {@link
 * #retryAfter()} says when to try again, when the server said so.
 *
 * <p>Carries gRPC code {@code RESOURCE_EXHAUSTED}. Immutable and safe to share between threads.
 */
public final class ResourceExhaustedException extends HoraeException {
  private static final long serialVersionUID = 1L;

  ResourceExhaustedException(
      String message,
      List<FieldViolation> violations,
      Duration retryAfter,
      String reason,
      Throwable cause) {
    super(Status.Code.RESOURCE_EXHAUSTED, message, violations, retryAfter, reason, cause);
  }
}
