package io.horae.server.exec;

import io.horae.api.v1.RetryPolicy;
import io.horae.server.config.ExecConfig;
import io.horae.server.config.StatusSet;
import java.util.random.RandomGenerator;

/**
 * A job's retry policy with the node's defaults filled in, and the wait before the next attempt:
 * exponential backoff with full jitter, never shorter than the target's Retry-After, never longer
 * than the maximum backoff. Decided by the node that made the attempt and carried in the Complete
 * command, so apply stays deterministic.
 */
final class Backoff {
  private final ExecConfig defaults;
  private final RandomGenerator random;

  Backoff(ExecConfig defaults, RandomGenerator random) {
    this.defaults = defaults;
    this.random = random;
  }

  int attemptsMax(RetryPolicy p) {
    return p.getMaxAttempts() > 0 ? p.getMaxAttempts() : defaults.retryMaxAttempts();
  }

  long maxBackoffMs(RetryPolicy p) {
    return p.getMaxBackoffMs() > 0 ? p.getMaxBackoffMs() : defaults.retryMaxBackoff().toMillis();
  }

  long deadlineMs(RetryPolicy p) {
    return p.getRetryDeadlineMs() > 0
        ? p.getRetryDeadlineMs()
        : defaults.retryDeadline().toMillis();
  }

  /** Whether a complete response with this status is worth another attempt. 410 never is. */
  boolean retriedStatus(RetryPolicy p, int status) {
    if (status == 410) {
      return false;
    }
    if (p.getRetryStatusesCount() == 0) {
      return defaults.retryStatuses().contains(status);
    }
    return p.getRetryStatusesList().contains(status);
  }

  /**
   * The backoff cap before attempt {@code attemptDone + 1}: min(max, initial * multiplier^(n-1)).
   */
  long capMs(RetryPolicy p, int attemptDone) {
    long initial =
        p.getInitialBackoffMs() > 0
            ? p.getInitialBackoffMs()
            : defaults.retryInitialBackoff().toMillis();
    double multiplier = p.getMultiplier() >= 1 ? p.getMultiplier() : defaults.retryMultiplier();
    double exp = initial * Math.pow(multiplier, Math.max(0, attemptDone - 1));
    return (long) Math.min(maxBackoffMs(p), exp);
  }

  /**
   * Delay before attempt {@code attemptDone + 1}, after attempt number attemptDone (1-based)
   * failed: uniform in [0, cap] ("full jitter", which spreads the retries of many executions that
   * failed together), but at least the target's Retry-After, itself capped by the max backoff.
   */
  long delayMs(RetryPolicy p, int attemptDone, long retryAfterMs) {
    long cap = capMs(p, attemptDone);
    long jittered = cap > 0 ? random.nextLong(cap + 1) : 0;
    return Math.max(jittered, Math.min(retryAfterMs, maxBackoffMs(p)));
  }

  /** For tests and docs: the node's default retry statuses. */
  StatusSet defaultStatuses() {
    return defaults.retryStatuses();
  }
}
