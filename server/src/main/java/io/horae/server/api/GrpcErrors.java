package io.horae.server.api;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.server.raft.OverloadedException;
import io.horae.server.raft.UnavailableException;
import io.horae.server.secret.NoClusterKeyException;
import io.horae.statemachine.core.schedule.Violation;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into gRPC statuses with google.rpc details. Services never
 * build statuses by hand. ErrorInfo metadata "done" tells whether the operation definitely did
 * not happen ("no") or may have ("unknown"); clients and the chaos checker rely on it.
 */
public final class GrpcErrors {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);
  static final String DOMAIN = "horae";
  static final long RETRY_AFTER_MILLIS = 200;

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof ValidationException v) {
      BadRequest.Builder br = BadRequest.newBuilder();
      for (Violation violation : v.violations()) {
        br.addFieldViolations(
            BadRequest.FieldViolation.newBuilder()
                .setField(violation.field())
                .setDescription(Echo.message(violation.description())));
      }
      return build(Code.INVALID_ARGUMENT, v.getMessage(), Any.pack(br.build()));
    }
    if (e instanceof RejectedException r) {
      return switch (r.code()) {
        case REJECT_ALREADY_EXISTS -> build(Code.ALREADY_EXISTS, r.getMessage());
        case REJECT_NOT_FOUND -> build(Code.NOT_FOUND, r.getMessage());
        case REJECT_NOT_READY -> build(Code.UNAVAILABLE, r.getMessage(), info("NOT_READY", "no"), retry());
        case REJECT_LIMIT -> build(Code.RESOURCE_EXHAUSTED, r.getMessage(), info(r.code().name(), "no", r.metadata()));
        default -> build(Code.FAILED_PRECONDITION, r.getMessage(), info(r.code().name(), "no", r.metadata()));
      };
    }
    if (e instanceof NoClusterKeyException) {
      return build(Code.FAILED_PRECONDITION, e.getMessage(), info("NO_CLUSTER_KEY", "no"));
    }
    if (e instanceof StreamEndedException s) {
      // WATCH_STREAMS_FULL is the only one worth retrying as is; the others need a re-list first.
      return s.reason() == StreamEndedException.Reason.WATCH_STREAMS_FULL
          ? build(s.reason().code, s.getMessage(), info(s.reason().name(), "no"), retry())
          : build(s.reason().code, s.getMessage(), info(s.reason().name(), "no"));
    }
    if (e instanceof OverloadedException) {
      return build(Code.RESOURCE_EXHAUSTED, e.getMessage(), info("OVERLOADED", "no"), retry());
    }
    if (e instanceof UnavailableException) {
      return build(Code.UNAVAILABLE, e.getMessage(), info("UNAVAILABLE", "unknown"), retry());
    }
    if (e instanceof TimeoutException || e instanceof CancellationException) {
      return build(Code.DEADLINE_EXCEEDED, "timed out waiting for the cluster", info("TIMEOUT", "unknown"));
    }
    if (e.getClass().getName().startsWith("org.apache.ratis")) {
      return build(Code.UNAVAILABLE, "raft: " + e.getMessage(), info("RAFT", "unknown"), retry());
    }
    LOG.warn("unexpected error answered as INTERNAL", e);
    return build(Code.INTERNAL, "internal error: " + e.getClass().getSimpleName(), info("INTERNAL", "unknown"));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static Any info(String reason, String done) {
    return info(reason, done, java.util.Map.of());
  }

  private static Any info(String reason, String done, java.util.Map<String, String> metadata) {
    return Any.pack(ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN).putAllMetadata(metadata).putMetadata("done", done).build());
  }

  private static Any retry() {
    return Any.pack(
        RetryInfo.newBuilder()
            .setRetryDelay(com.google.protobuf.Duration.newBuilder().setNanos((int) (RETRY_AFTER_MILLIS * 1_000_000)))
            .build());
  }

  private static StatusRuntimeException build(Code code, String message, Any... details) {
    com.google.rpc.Status.Builder s = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(Echo.message(message));
    for (Any d : details) {
      s.addDetails(d);
    }
    return StatusProto.toStatusRuntimeException(s.build());
  }
}
