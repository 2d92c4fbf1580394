package io.horae.server.errors;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.horae.server.raft.OverloadedException;
import io.horae.server.raft.UnavailableException;
import io.horae.statemachine.core.schedule.Violation;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns failures into gRPC statuses with google.rpc details. Services never
 * build statuses by hand. ErrorInfo metadata "done" tells whether the operation definitely did not
 * happen ("no") or may have ("unknown"); clients and the chaos checker rely on it.
 */
public final class GrpcErrors {
  private static final Logger LOG = LoggerFactory.getLogger(GrpcErrors.class);
  public static final String DOMAIN = "horae";
  public static final long RETRY_AFTER_MILLIS = 200;

  /** Violations an INVALID_ARGUMENT lists in its message and BadRequest; the rest are counted. */
  static final int VIOLATIONS_SHOWN_MAX = 10;

  /** UTF-8 bytes of one violation's field, or its description, in a status. */
  static final int VIOLATION_PART_BYTES_MAX = 160;

  /**
   * UTF-8 bytes of all shown descriptions together: a few violations may each say more than {@link
   * #VIOLATION_PART_BYTES_MAX} (a cron parser's reason comes at the end of its message), up to
   * {@link #VIOLATION_DESCRIPTION_BYTES_MAX} each, and ten stay within the trailer budget.
   */
  static final int VIOLATION_DESCRIPTIONS_BYTES_MAX = 2_000;

  static final int VIOLATION_DESCRIPTION_BYTES_MAX = 1_000;

  /**
   * UTF-8 bytes of any status message. gRPC sends it percent-encoded (a non-ASCII byte takes
   * three), and message and details together must stay under a default client's 8 KiB of trailers:
   * 600 bytes are at most 1.8 KiB on the wire, ten bounded violations about 4.4 KiB.
   */
  public static final int MESSAGE_BYTES_MAX = 600;

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    Throwable e = unwrap(t);
    if (e instanceof StatusRuntimeException s) {
      return s;
    }
    if (e instanceof ValidationException v) {
      return invalid(v.violations());
    }
    if (e instanceof RejectedException r) {
      return switch (r.code()) {
        case REJECT_ALREADY_EXISTS -> build(Code.ALREADY_EXISTS, r.getMessage());
        case REJECT_NOT_FOUND -> build(Code.NOT_FOUND, r.getMessage());
        case REJECT_NOT_READY ->
            build(Code.UNAVAILABLE, r.getMessage(), info("NOT_READY", "no"), retry());
        case REJECT_LIMIT ->
            build(
                Code.RESOURCE_EXHAUSTED, r.getMessage(), info(r.code().name(), "no", r.metadata()));
        case REJECT_QUOTA ->
            quota("namespace", r.getMessage(), java.time.Duration.ofSeconds(1), "QUOTA");
        case REJECT_APPLY_FAULT ->
            build(Code.INTERNAL, r.getMessage(), info(r.code().name(), "no"));
        case REJECT_REQUEST_REUSED ->
            build(
                Code.INVALID_ARGUMENT,
                r.getMessage(),
                Any.pack(
                    BadRequest.newBuilder()
                        .addFieldViolations(
                            BadRequest.FieldViolation.newBuilder()
                                .setField("request_id")
                                .setDescription(r.getMessage()))
                        .build()));
        default ->
            build(
                Code.FAILED_PRECONDITION,
                r.getMessage(),
                info(r.code().name(), "no", r.metadata()));
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
    if (e instanceof io.horae.server.raft.ApplyVersionException a) {
      return a.unknown()
          ? build(Code.UNAVAILABLE, a.getMessage(), info("APPLY_VERSION_UNKNOWN", "no"), retry())
          : build(Code.FAILED_PRECONDITION, a.getMessage(), info("APPLY_VERSION", "no"));
    }
    if (e instanceof QuotaExceededException q) {
      return quota(
          "namespace:" + Echo.value(q.namespace()), q.getMessage(), q.retryAfter(), "QUOTA_RATE");
    }
    if (e instanceof io.horae.server.disk.DiskFullException d) {
      var disk = d.disk();
      return build(
          Code.RESOURCE_EXHAUSTED,
          e.getMessage(),
          info(
              "DISK_FULL",
              "no",
              java.util.Map.of(
                  "node",
                  disk.getNodeId(),
                  "data_dir",
                  disk.getDataDir(),
                  "usable_bytes",
                  Long.toString(disk.getUsableBytes()),
                  "min_free_bytes",
                  Long.toString(disk.getMinFreeBytes()))),
          retry());
    }
    if (e instanceof ClusterBehindException b) {
      String behind = Long.toString(b.behindMs());
      return build(
          Code.RESOURCE_EXHAUSTED,
          e.getMessage(),
          b.host() == null
              ? info(
                  "CLUSTER_BEHIND", "no", java.util.Map.of("node", b.nodeId(), "behind_ms", behind))
              : info(
                  "TARGET_BEHIND",
                  "no",
                  java.util.Map.of("host", Echo.value(b.host()), "behind_ms", behind)),
          retry(b.retryAfter()));
    }
    if (e instanceof OverloadedException) {
      return build(Code.RESOURCE_EXHAUSTED, e.getMessage(), info("OVERLOADED", "no"), retry());
    }
    if (e instanceof UnavailableException) {
      return build(Code.UNAVAILABLE, e.getMessage(), info("UNAVAILABLE", "unknown"), retry());
    }
    if (e instanceof TimeoutException || e instanceof CancellationException) {
      return build(
          Code.DEADLINE_EXCEEDED, "timed out waiting for the cluster", info("TIMEOUT", "unknown"));
    }
    if (e.getClass().getName().startsWith("org.apache.ratis")) {
      return build(Code.UNAVAILABLE, "raft: " + e.getMessage(), info("RAFT", "unknown"), retry());
    }
    LOG.warn("unexpected error answered as INTERNAL", e);
    return build(
        Code.INTERNAL,
        "internal error: " + e.getClass().getSimpleName(),
        info("INTERNAL", "unknown"));
  }

  /**
   * INVALID_ARGUMENT listing the first {@link #VIOLATIONS_SHOWN_MAX} violations, each field cut to
   * {@link #VIOLATION_PART_BYTES_MAX} and the descriptions to a shared budget, and counting the
   * rest: a request with thousands of bad items or a huge bad value must not get a reply that
   * echoes all of it (a default gRPC client refuses trailers over 8 KiB, and fails its whole
   * connection past 10 KiB).
   */
  public static StatusRuntimeException invalid(java.util.List<Violation> violations) {
    BadRequest.Builder br = BadRequest.newBuilder();
    StringBuilder message = new StringBuilder("invalid request: ");
    int shown = Math.min(violations.size(), VIOLATIONS_SHOWN_MAX);
    int descriptionMax =
        Math.min(
            VIOLATION_DESCRIPTION_BYTES_MAX,
            Math.max(
                VIOLATION_PART_BYTES_MAX, VIOLATION_DESCRIPTIONS_BYTES_MAX / Math.max(1, shown)));
    for (int i = 0; i < shown; i++) {
      String field = cut(Echo.message(violations.get(i).field()), VIOLATION_PART_BYTES_MAX);
      String description = cut(Echo.message(violations.get(i).description()), descriptionMax);
      br.addFieldViolations(
          BadRequest.FieldViolation.newBuilder().setField(field).setDescription(description));
      message.append(i > 0 ? "; " : "").append(field).append(": ").append(description);
    }
    String more = violations.size() > shown ? "; and " + (violations.size() - shown) + " more" : "";
    return build(
        Code.INVALID_ARGUMENT,
        cut(message.toString(), MESSAGE_BYTES_MAX - more.length()) + more,
        Any.pack(br.build()));
  }

  /**
   * {@code s} cut to at most {@code bytesMax} UTF-8 bytes, at a character boundary, marked with
   * "...".
   */
  public static String cut(String s, int bytesMax) {
    if (s.length() * 3 <= bytesMax
        || s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= bytesMax) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    int bytes = 3; // the "..." that ends it
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + n > bytesMax) {
        break;
      }
      out.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return out.append("...").toString();
  }

  /** Longest part of a parser's message that a malformed-request status repeats. */
  static final int PARSER_MESSAGE_CHARS_MAX = 200;

  /**
   * A request whose bytes are not a message of the method's type: INVALID_ARGUMENT, with the
   * parser's reason (bounded; it never holds the request's content) and ErrorInfo
   * MALFORMED_REQUEST.
   */
  public static StatusRuntimeException malformed(String fullMethodName, Throwable parseFailure) {
    Throwable root = parseFailure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String reason = String.valueOf(root.getMessage());
    if (reason.length() > PARSER_MESSAGE_CHARS_MAX) {
      reason = reason.substring(0, PARSER_MESSAGE_CHARS_MAX) + "...";
    }
    return build(
        Code.INVALID_ARGUMENT,
        "the request to "
            + fullMethodName
            + " is not a valid protobuf message of its type: "
            + reason,
        info("MALFORMED_REQUEST", "no"));
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static Any info(String reason, String done) {
    return info(reason, done, java.util.Map.of());
  }

  private static Any info(String reason, String done, java.util.Map<String, String> metadata) {
    return Any.pack(
        ErrorInfo.newBuilder()
            .setReason(reason)
            .setDomain(DOMAIN)
            .putAllMetadata(metadata)
            .putMetadata("done", done)
            .build());
  }

  /** RESOURCE_EXHAUSTED with a QuotaFailure naming the subject and a RetryInfo. */
  private static StatusRuntimeException quota(
      String subject, String description, java.time.Duration retryAfter, String reason) {
    com.google.rpc.QuotaFailure failure =
        com.google.rpc.QuotaFailure.newBuilder()
            .addViolations(
                com.google.rpc.QuotaFailure.Violation.newBuilder()
                    .setSubject(subject)
                    .setDescription(cut(Echo.message(description), VIOLATION_PART_BYTES_MAX * 2)))
            .build();
    return build(
        Code.RESOURCE_EXHAUSTED,
        description,
        Any.pack(failure),
        retry(retryAfter),
        info(reason, "no"));
  }

  private static Any retry() {
    return retry(java.time.Duration.ofMillis(RETRY_AFTER_MILLIS));
  }

  private static Any retry(java.time.Duration after) {
    return Any.pack(
        RetryInfo.newBuilder()
            .setRetryDelay(
                com.google.protobuf.Duration.newBuilder()
                    .setSeconds(after.getSeconds())
                    .setNanos(after.getNano()))
            .build());
  }

  private static StatusRuntimeException build(Code code, String message, Any... details) {
    com.google.rpc.Status.Builder s =
        com.google.rpc.Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(cut(Echo.message(message), MESSAGE_BYTES_MAX));
    for (Any d : details) {
      s.addDetails(d);
    }
    return StatusProto.toStatusRuntimeException(s.build());
  }
}
