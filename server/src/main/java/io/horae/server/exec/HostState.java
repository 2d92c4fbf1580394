package io.horae.server.exec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node knows of one target host: its breaker, its rate limiter and the requests in flight
 * to it. Every method is synchronized on this object, which guards all mutable fields.
 */
final class HostState {
  private static final Logger LOG = LoggerFactory.getLogger(HostState.class);

  /** What {@link #admit} decided. */
  enum Decision {
    SEND,
    /** At the host's concurrency limit. */
    BUSY,
    /** Out of rate tokens. */
    RATE_LIMITED,
    /** Half-open, every probe out. */
    PROBING,
    /** Breaker open. */
    DEFER
  }

  /** A decision and what goes with it: the round of an admission, or how long to wait. */
  record Admitted(Decision decision, long round, long waitMs) {}

  final String host;
  private final CircuitBreaker breaker;
  private final HostRateLimiter rate;
  private final int concurrencyMax;
  private int inUse;
  private long lastUsedMs;

  HostState(
      String host, CircuitBreaker breaker, HostRateLimiter rate, int concurrencyMax, long nowMs) {
    this.host = host;
    this.breaker = breaker;
    this.rate = rate;
    this.concurrencyMax = concurrencyMax;
    this.lastUsedMs = nowMs;
  }

  /**
   * Checks, in this order: the breaker (open: defer, spending nothing), the concurrency limit, the
   * rate limit, and a half-open breaker's probe slots. SEND holds a permit until {@link #finish}.
   */
  synchronized Admitted admit(long nowMs, long busyWaitMs) {
    lastUsedMs = nowMs;
    if (breaker.state(nowMs) == CircuitBreaker.State.OPEN) {
      return new Admitted(Decision.DEFER, 0, breaker.openUntilMs());
    }
    if (inUse >= concurrencyMax) {
      return new Admitted(Decision.BUSY, 0, busyWaitMs);
    }
    long rateWaitMs = rate.tryTake(nowMs);
    if (rateWaitMs > 0) {
      return new Admitted(Decision.RATE_LIMITED, 0, rateWaitMs);
    }
    CircuitBreaker.Verdict v = breaker.admit(nowMs);
    if (v == CircuitBreaker.Verdict.WAIT) {
      rate.giveBack();
      return new Admitted(Decision.PROBING, 0, busyWaitMs);
    }
    if (v == CircuitBreaker.Verdict.DEFER) {
      throw new IllegalStateException("breaker of " + host + " opened under its own lock");
    }
    inUse++;
    return new Admitted(Decision.SEND, breaker.round(), 0);
  }

  /**
   * Ends a SEND admission: releases its permit and, unless {@code counted} is false (cancelled,
   * fenced: nothing to judge the host by), records whether it failed; {@code why} says what a
   * failed request got, named when the breaker opens (null otherwise).
   */
  synchronized void finish(long round, boolean counted, boolean failure, String why, long nowMs) {
    inUse--;
    lastUsedMs = Math.max(lastUsedMs, nowMs);
    if (counted) {
      CircuitBreaker.State before = breaker.state(nowMs);
      breaker.record(round, failure, nowMs);
      CircuitBreaker.State after = breaker.state(nowMs);
      if (after != before) {
        // A state change of a host's breaker, not a per-request detail: rare, and worth a line.
        LOG.info(
            "breaker {} host={} failures={} openUntilMs={}{}",
            after == CircuitBreaker.State.OPEN ? "opened" : "closed",
            host,
            breaker.consecutiveFailures(),
            breaker.openUntilMs(),
            failure && why != null ? " last=" + why : "");
      }
    } else {
      breaker.abandon(round);
    }
  }

  /** Nothing in flight and unused since before {@code cutoffMs}: safe to forget. */
  synchronized boolean idleSince(long cutoffMs) {
    return inUse == 0 && lastUsedMs < cutoffMs;
  }

  synchronized boolean unused() {
    return inUse == 0;
  }

  synchronized long lastUsedMs() {
    return lastUsedMs;
  }

  synchronized int inUse() {
    return inUse;
  }

  synchronized CircuitBreaker.State state(long nowMs) {
    return breaker.state(nowMs);
  }

  synchronized long opened() {
    return breaker.opened();
  }

  /** The breaker as cluster status shows it. */
  synchronized HostGuard.BreakerView view(long nowMs) {
    return new HostGuard.BreakerView(
        host, breaker.state(nowMs), breaker.consecutiveFailures(), breaker.openUntilMs());
  }
}
