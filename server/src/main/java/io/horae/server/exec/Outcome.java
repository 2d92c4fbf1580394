package io.horae.server.exec;

/**
 * What one HTTP attempt produced.
 *
 * @param httpStatus 0 when no response arrived
 * @param error short description; empty on a 2xx
 * @param errorClass empty when a whole response arrived; otherwise the failure's class, e.g. {@code
 *     ConnectException}, {@code CallTimeout} (also when the body stalled after the headers)
 * @param retryAfterMs the target's Retry-After as a delay from the response, or 0
 * @param startedMs when the request was handed to the HTTP client
 * @param excerpt the first bytes of the response body (bounded)
 * @param spanId the attempt's W3C span id
 */
record Outcome(
    boolean succeeded,
    int httpStatus,
    String error,
    String errorClass,
    long latencyMs,
    long retryAfterMs,
    long startedMs,
    byte[] excerpt,
    String spanId) {
  /** The error class of a request the target guard refused: nothing was sent. */
  static final String TARGET_REFUSED = "TargetRefused";

  /** The error class of a request that could not be built from the stored target. */
  static final String BAD_REQUEST = "BadRequest";

  private static final byte[] NONE = new byte[0];

  /** No response, or no whole one: the request failed before, or while, reading it. */
  static Outcome failure(
      int httpStatus,
      String errorClass,
      String error,
      long startedMs,
      long latencyMs,
      String spanId) {
    return new Outcome(false, httpStatus, error, errorClass, latencyMs, 0, startedMs, NONE, spanId);
  }

  /** A whole response with this status (2xx succeeds), as the tests of the guards need one. */
  static Outcome response(int httpStatus, long latencyMs) {
    boolean ok = httpStatus >= 200 && httpStatus < 300;
    return new Outcome(
        ok, httpStatus, ok ? "" : "HTTP " + httpStatus, "", latencyMs, 0, 0, NONE, "");
  }

  /**
   * Whether sending again cannot help: the target guard refused the address, or the stored target
   * cannot be made into a request. Such a failure goes to the DLQ at once and says nothing about
   * the host's health.
   */
  boolean permanent() {
    return errorClass.equals(TARGET_REFUSED) || errorClass.equals(BAD_REQUEST);
  }

  /** Whether a response arrived in full (whatever its status). */
  boolean answered() {
    return errorClass.isEmpty();
  }
}
