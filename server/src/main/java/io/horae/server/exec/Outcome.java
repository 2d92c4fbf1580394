package io.horae.server.exec;

/**
 * What one HTTP attempt produced. {@code httpStatus} is 0 when no response arrived;
 * {@code retryAfterMs} is the target's Retry-After, or 0.
 */
record Outcome(boolean succeeded, int httpStatus, String error, long latencyMs, long retryAfterMs) {
  /** Failures worth another attempt: no response, 408, 425, 429 and 5xx. Other 4xx are final. */
  boolean retryable() {
    if (succeeded) {
      return false;
    }
    return httpStatus == 0 || httpStatus == 408 || httpStatus == 425 || httpStatus == 429 || httpStatus >= 500;
  }
}
