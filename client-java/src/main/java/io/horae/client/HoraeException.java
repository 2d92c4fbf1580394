package io.horae.client;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed Horae call: the gRPC status code, a one-line message and the typed details the server
 * attached ({@code google.rpc.BadRequest}, {@code RetryInfo}, {@code ErrorInfo}).
 *
 * <p>Subclasses exist for the codes callers usually handle: {@link InvalidArgumentException},
 * {@link AlreadyExistsException}, {@link NotFoundException}, {@link UnavailableException} and
 * {@link ResourceExhaustedException}. Every other code (for example {@code DEADLINE_EXCEEDED},
 * {@code FAILED_PRECONDITION}, {@code INTERNAL}) is thrown as a plain {@code HoraeException};
 * switch on {@link #code()} for those.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public class HoraeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final List<FieldViolation> violations;
  private final Duration retryAfter;
  private final String reason;

  /**
   * Creates an exception; the client builds these from gRPC errors.
   *
   * @param code the gRPC status code
   * @param message a one-line message
   * @param violations field violations from {@code BadRequest}; empty when none
   * @param retryAfter the delay from {@code RetryInfo}, or {@code null}
   * @param reason the reason from {@code ErrorInfo}, or {@code null}
   * @param cause the underlying gRPC exception, or {@code null}
   */
  HoraeException(
      Status.Code code,
      String message,
      List<FieldViolation> violations,
      Duration retryAfter,
      String reason,
      Throwable cause) {
    super(message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.violations = List.copyOf(violations);
    this.retryAfter = retryAfter;
    this.reason = reason == null || reason.isEmpty() ? null : reason;
  }

  /** Creates an exception without details. */
  HoraeException(Status.Code code, String message, Throwable cause) {
    this(code, message, List.of(), null, null, cause);
  }

  /** Returns the gRPC status code of the failure. */
  public Status.Code code() {
    return code;
  }

  /**
   * Returns the rejected fields from the server's {@code BadRequest} detail, in the server's order;
   * empty when there were none. Usually only set for {@code INVALID_ARGUMENT}.
   */
  public List<FieldViolation> violations() {
    return violations;
  }

  /**
   * Returns how long the server asked the caller to wait before trying again ({@code RetryInfo}),
   * typically on {@code RESOURCE_EXHAUSTED} or {@code UNAVAILABLE}.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /**
   * Returns the machine-readable reason from the server's {@code ErrorInfo} detail, such as {@code
   * NOT_LEADER} or {@code QUOTA_PENDING_EXECUTIONS}.
   */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }
}
