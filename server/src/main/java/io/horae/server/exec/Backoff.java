package io.horae.server.exec;

import io.horae.api.v1.RetryPolicy;
import io.horae.server.config.ExecConfig;
import java.util.random.RandomGenerator;

/**
 * When to try a failed execution again: exponential backoff with jitter, never sooner than the
 * target's Retry-After, never later than the maximum backoff. Decided by the node that made the
 * attempt and carried in the Complete command, so apply stays deterministic.
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

  /** Delay before attempt {@code attemptDone + 1}, after attempt number attemptDone (1-based) failed. */
  long delayMs(RetryPolicy p, int attemptDone, long retryAfterMs) {
    long initial = p.getInitialBackoffMs() > 0 ? p.getInitialBackoffMs() : defaults.retryInitialBackoff().toMillis();
    long max = p.getMaxBackoffMs() > 0 ? p.getMaxBackoffMs() : defaults.retryMaxBackoff().toMillis();
    int shift = Math.min(30, Math.max(0, attemptDone - 1));
    long exp = Math.min(max, initial << shift);
    // Jitter in [exp/2, exp] spreads retries of many executions that failed together.
    long jittered = exp / 2 + (exp > 1 ? random.nextLong(exp - exp / 2 + 1) : 0);
    return Math.min(max, Math.max(jittered, retryAfterMs));
  }
}
