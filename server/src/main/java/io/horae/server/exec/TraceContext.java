package io.horae.server.exec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W3C Trace Context for deliveries: one trace per execution, a new span per attempt.
 *
 * <p>An execution's trace id is the one of the job's {@code traceparent} when it was given at
 * creation (the job continues the caller's trace), otherwise derived from the execution id. A
 * derived id needs no storage and is the same on every node, so an attempt made after a failover
 * joins the same trace.
 */
public final class TraceContext {
  /** version 00: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}. */
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");

  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_SPAN = "0".repeat(16);
  private static final String SAMPLED = "01";
  private static final HexFormat HEX = HexFormat.of();

  /** A parsed traceparent. */
  public record Parent(String traceId, String parentId, String flags) {}

  private TraceContext() {}

  /** The traceparent if it is a valid version-00 header (lower-case hex, no all-zero ids). */
  public static Optional<Parent> parse(String traceparent) {
    if (traceparent.isEmpty()) {
      return Optional.empty(); // The common case: the job was created without a trace.
    }
    Matcher m = TRACEPARENT.matcher(traceparent);
    if (!m.matches() || m.group(1).equals(ZERO_TRACE) || m.group(2).equals(ZERO_SPAN)) {
      return Optional.empty();
    }
    return Optional.of(new Parent(m.group(1), m.group(2), m.group(3)));
  }

  /** The execution's trace id: the job's, or 16 bytes of SHA-256 of the execution id. */
  public static String traceId(String jobTraceparent, String executionId) {
    Optional<Parent> parent = parse(jobTraceparent);
    if (parent.isPresent()) {
      return parent.get().traceId();
    }
    byte[] digest = sha256(executionId.getBytes(StandardCharsets.UTF_8));
    String id = HEX.formatHex(digest, 0, 16);
    return id.equals(ZERO_TRACE) ? "1" + id.substring(1) : id;
  }

  /** Flags to send: the job's (sampling decision of the caller), else sampled. */
  static String flags(String jobTraceparent) {
    return parse(jobTraceparent).map(Parent::flags).orElse(SAMPLED);
  }

  /** A fresh, non-zero span id for one attempt. */
  static String newSpanId(RandomGenerator random) {
    long id;
    do {
      id = random.nextLong();
    } while (id == 0);
    return HEX.toHexDigits(id);
  }

  static String header(String traceId, String spanId, String flags) {
    return "00-" + traceId + "-" + spanId + "-" + flags;
  }

  /**
   * One digest per thread: looking the algorithm up in the security providers cost more than the
   * hash itself, twice per attempt (a profile of the bench's steady run).
   */
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("every JDK has SHA-256", e);
            }
          });

  private static byte[] sha256(byte[] bytes) {
    return SHA256.get().digest(bytes); // digest() resets it for the next use.
  }
}
