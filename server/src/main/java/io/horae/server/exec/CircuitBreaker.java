package io.horae.server.exec;

/**
 * The circuit breaker of one target host, as judged by this node. Pure: no clock, no threads; time
 * comes in as {@code nowMs}. Not thread-safe: its {@link HostState} guards it.
 *
 * <p>CLOSED lets every request through and opens after {@code failuresToOpen} consecutive failures.
 * OPEN lets nothing through until {@link #openUntilMs()}; then it is HALF_OPEN and lets at most
 * {@code probesMax} probes through at once. The first probe to succeed closes it; the first to fail
 * opens it again for twice the last open time, at most {@code openMaxMs}.
 *
 * <p>Every admission carries the breaker's round (incremented on each change of state). A result is
 * counted only in the round it was admitted in: a failure of a request started before the breaker
 * opened does not lengthen the open time, and a late success from a closed round does not close a
 * breaker that has opened since.
 */
final class CircuitBreaker {
  /** The gauge value is {@link #ordinal()}: 0 closed, 1 open, 2 half-open. */
  enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /** What {@link #admit} decided. */
  enum Verdict {
    /** Closed: send. */
    SEND,
    /** Half-open: send as a probe. */
    PROBE,
    /** Open: do not send before {@link #openUntilMs()}. */
    DEFER,
    /** Half-open with every probe out: wait for a probe's result. */
    WAIT
  }

  private final int failuresToOpen;
  private final long openMinMs;
  private final long openMaxMs;
  private final int probesMax;
  private State state = State.CLOSED;
  private long round;
  private int consecutiveFailures;
  private long openUntilMs;
  private long lastOpenMs;
  private int probesOut;
  private long opened;

  CircuitBreaker(int failuresToOpen, long openMinMs, long openMaxMs, int probesMax) {
    if (failuresToOpen < 1 || openMinMs < 1 || openMaxMs < openMinMs || probesMax < 1) {
      throw new IllegalArgumentException(
          "breaker needs failuresToOpen>=1, 1<=openMinMs<=openMaxMs, probesMax>=1; got "
              + failuresToOpen
              + ", "
              + openMinMs
              + ", "
              + openMaxMs
              + ", "
              + probesMax);
    }
    this.failuresToOpen = failuresToOpen;
    this.openMinMs = openMinMs;
    this.openMaxMs = openMaxMs;
    this.probesMax = probesMax;
  }

  /**
   * Whether a request may go now. SEND and PROBE must be followed by {@link #record} or {@link
   * #abandon}.
   */
  Verdict admit(long nowMs) {
    if (state == State.OPEN && nowMs >= openUntilMs) {
      state = State.HALF_OPEN;
      round++;
      probesOut = 0;
    }
    return switch (state) {
      case CLOSED -> Verdict.SEND;
      case OPEN -> Verdict.DEFER;
      case HALF_OPEN -> {
        if (probesOut >= probesMax) {
          yield Verdict.WAIT;
        }
        probesOut++;
        yield Verdict.PROBE;
      }
    };
  }

  /** The round an admission made now belongs to; pass it back to {@link #record}. */
  long round() {
    return round;
  }

  /** The result of a request admitted in {@code admittedRound}. */
  void record(long admittedRound, boolean failure, long nowMs) {
    if (admittedRound != round) {
      return;
    }
    switch (state) {
      case CLOSED -> {
        if (!failure) {
          consecutiveFailures = 0;
        } else if (++consecutiveFailures >= failuresToOpen) {
          open(openMinMs, nowMs);
        }
      }
      case HALF_OPEN -> {
        probesOut--;
        if (failure) {
          consecutiveFailures++;
          open(Math.min(openMaxMs, lastOpenMs * 2), nowMs);
        } else {
          state = State.CLOSED;
          round++;
          consecutiveFailures = 0;
          openUntilMs = 0;
        }
      }
      case OPEN ->
          throw new IllegalStateException(
              "a result of round " + round + " while open: nothing was admitted");
    }
  }

  /** A request admitted in {@code admittedRound} ended without a result (cancelled, fenced). */
  void abandon(long admittedRound) {
    if (admittedRound == round && state == State.HALF_OPEN) {
      probesOut--;
    }
  }

  private void open(long forMs, long nowMs) {
    state = State.OPEN;
    round++;
    lastOpenMs = forMs;
    openUntilMs = nowMs + forMs;
    opened++;
  }

  /** The state at {@code nowMs}: an open breaker whose time is up reads HALF_OPEN. */
  State state(long nowMs) {
    return state == State.OPEN && nowMs >= openUntilMs ? State.HALF_OPEN : state;
  }

  /** When an open breaker lets the next probe through; 0 when not open. */
  long openUntilMs() {
    return state == State.OPEN ? openUntilMs : 0;
  }

  int consecutiveFailures() {
    return consecutiveFailures;
  }

  /** How many times this breaker has opened. */
  long opened() {
    return opened;
  }
}
