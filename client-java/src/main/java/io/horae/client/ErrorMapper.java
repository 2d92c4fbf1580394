package io.horae.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * Turns whatever a gRPC call failed with into a {@link HoraeException} of the matching type, with
 * the {@code google.rpc} details of the status parsed into fields. Stateless.
 */
final class ErrorMapper {

  private ErrorMapper() {}

  /** Maps {@code failure}; a {@link HoraeException} is returned as it is. */
  static HoraeException toHoraeException(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof HoraeException horae) {
      return horae;
    }
    if (t instanceof CancellationException) {
      return new HoraeException(Status.Code.CANCELLED, "call cancelled", t);
    }
    Status status = Status.fromThrowable(t);
    if (status.getCode() == Status.Code.UNKNOWN && status.getCause() == t) {
      // Not a gRPC failure at all: a bug or a local failure before the call was sent.
      return new HoraeException(Status.Code.UNKNOWN, oneLine(String.valueOf(t)), t);
    }
    List<FieldViolation> violations = new ArrayList<>();
    Duration retryAfter = null;
    String reason = null;
    com.google.rpc.Status rpcStatus = StatusProto.fromThrowable(t);
    if (rpcStatus != null) {
      for (Any detail : rpcStatus.getDetailsList()) {
        try {
          if (detail.is(BadRequest.class)) {
            for (BadRequest.FieldViolation v :
                detail.unpack(BadRequest.class).getFieldViolationsList()) {
              violations.add(new FieldViolation(v.getField(), v.getDescription()));
            }
          } else if (detail.is(com.google.rpc.QuotaFailure.class)) {
            // A quota reached: the subject (e.g. namespace:pay) stands where a field would.
            for (com.google.rpc.QuotaFailure.Violation v :
                detail.unpack(com.google.rpc.QuotaFailure.class).getViolationsList()) {
              violations.add(new FieldViolation(v.getSubject(), v.getDescription()));
            }
          } else if (detail.is(RetryInfo.class)) {
            com.google.protobuf.Duration d = detail.unpack(RetryInfo.class).getRetryDelay();
            retryAfter = Duration.ofSeconds(d.getSeconds(), d.getNanos());
          } else if (detail.is(ErrorInfo.class)) {
            reason = detail.unpack(ErrorInfo.class).getReason();
          }
        } catch (InvalidProtocolBufferException e) {
          // A malformed detail must not hide the error itself; the status code and text still hold.
          t.addSuppressed(e);
        }
      }
    }
    String message = message(status, violations);
    return switch (status.getCode()) {
      case INVALID_ARGUMENT ->
          new InvalidArgumentException(message, violations, retryAfter, reason, t);
      case ALREADY_EXISTS -> new AlreadyExistsException(message, violations, retryAfter, reason, t);
      case NOT_FOUND -> new NotFoundException(message, violations, retryAfter, reason, t);
      case FAILED_PRECONDITION ->
          new FailedPreconditionException(message, violations, retryAfter, reason, t);
      case UNAVAILABLE -> new UnavailableException(message, violations, retryAfter, reason, t);
      case RESOURCE_EXHAUSTED ->
          new ResourceExhaustedException(message, violations, retryAfter, reason, t);
      default -> new HoraeException(status.getCode(), message, violations, retryAfter, reason, t);
    };
  }

  /**
   * The violations when there are any (they say more than the status text), else the status text
   * and the transport's cause, else the code's name; always one line.
   */
  private static String message(Status status, List<FieldViolation> violations) {
    if (!violations.isEmpty()) {
      return oneLine(
          violations.stream().map(FieldViolation::toString).collect(Collectors.joining("; ")));
    }
    String text = status.getDescription();
    if (text == null || text.isBlank()) {
      text = status.getCode().name();
    }
    Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null) {
      text = text + ": " + cause.getMessage();
    }
    return oneLine(text);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
