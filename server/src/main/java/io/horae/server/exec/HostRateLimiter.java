package io.horae.server.exec;

/**
 * A token bucket for one target host: {@code perSecond} tokens a second, at most {@code burst}
 * saved up, full at start. Pure: time comes in as {@code nowMs}. Not thread-safe: its {@link
 * HostState} guards it. A rate of 0 means no limit.
 */
final class HostRateLimiter {
  private final int perSecond;
  private final int burst;
  private double tokens;
  private long refilledMs;
  private boolean started;

  HostRateLimiter(int perSecond, int burst) {
    if (perSecond < 0 || burst < 1) {
      throw new IllegalArgumentException(
          "rate needs perSecond>=0 and burst>=1; got " + perSecond + ", " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
  }

  /**
   * Takes a token: 0 when one was taken, else the milliseconds until one will be there (at least
   * 1).
   */
  long tryTake(long nowMs) {
    if (perSecond == 0) {
      return 0;
    }
    refill(nowMs);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * 1000.0 / perSecond));
  }

  /** Gives back a token taken by {@link #tryTake} for a request that was not sent after all. */
  void giveBack() {
    if (perSecond > 0) {
      tokens = Math.min(burst, tokens + 1);
    }
  }

  private void refill(long nowMs) {
    if (!started) {
      started = true;
      refilledMs = nowMs;
      return;
    }
    long elapsed = nowMs - refilledMs;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * perSecond / 1000.0);
      refilledMs = nowMs;
    }
  }
}
