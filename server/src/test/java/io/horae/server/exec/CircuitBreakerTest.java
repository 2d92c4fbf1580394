package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.server.exec.CircuitBreaker.State;
import io.horae.server.exec.CircuitBreaker.Verdict;
import org.junit.jupiter.api.Test;

/**
 * The breaker's state machine, driven by explicit times (it reads no clock): closed until N
 * consecutive failures, open for the open time, then half-open with at most K probes, closed by a
 * probe's success and re-opened, for longer up to the cap, by a probe's failure.
 */
class CircuitBreakerTest {
  static final int FAILURES = 3;
  static final long OPEN_MIN_MS = 1_000;
  static final long OPEN_MAX_MS = 3_000;
  static final int PROBES = 2;

  private final CircuitBreaker breaker =
      new CircuitBreaker(FAILURES, OPEN_MIN_MS, OPEN_MAX_MS, PROBES);

  @Test
  void staysClosedUntilTheNthConsecutiveFailureThenOpensForTheOpenTime() {
    failTimes(FAILURES - 1, 100);
    assertThat(breaker.state(100)).isEqualTo(State.CLOSED);
    assertThat(breaker.admit(100)).isEqualTo(Verdict.SEND);

    breaker.record(breaker.round(), true, 200);

    assertThat(breaker.state(200)).isEqualTo(State.OPEN);
    assertThat(breaker.openUntilMs()).isEqualTo(200 + OPEN_MIN_MS);
    assertThat(breaker.admit(200 + OPEN_MIN_MS - 1)).isEqualTo(Verdict.DEFER);
    assertThat(breaker.opened()).isEqualTo(1);
    assertThat(breaker.consecutiveFailures()).isEqualTo(FAILURES);
  }

  @Test
  void aSuccessBetweenFailuresResetsTheCount() {
    failTimes(FAILURES - 1, 100);
    breaker.record(breaker.round(), false, 150);
    failTimes(FAILURES - 1, 200);

    assertThat(breaker.state(300)).isEqualTo(State.CLOSED);
  }

  @Test
  void halfOpenLetsAtMostKProbesThroughAtOnce() {
    failTimes(FAILURES, 0);
    long probeAt = breaker.openUntilMs();

    assertThat(breaker.state(probeAt)).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.admit(probeAt)).isEqualTo(Verdict.PROBE);
    assertThat(breaker.admit(probeAt)).isEqualTo(Verdict.PROBE);
    assertThat(breaker.admit(probeAt + 1)).isEqualTo(Verdict.WAIT);
  }

  @Test
  void anAbandonedProbeFreesItsSlot() {
    failTimes(FAILURES, 0);
    long probeAt = breaker.openUntilMs();
    breaker.admit(probeAt);
    breaker.admit(probeAt);
    long round = breaker.round();

    breaker.abandon(round);

    assertThat(breaker.admit(probeAt + 1)).isEqualTo(Verdict.PROBE);
  }

  @Test
  void aProbeSuccessClosesTheBreaker() {
    failTimes(FAILURES, 0);
    long probeAt = breaker.openUntilMs();
    breaker.admit(probeAt);

    breaker.record(breaker.round(), false, probeAt + 10);

    assertThat(breaker.state(probeAt + 10)).isEqualTo(State.CLOSED);
    assertThat(breaker.consecutiveFailures()).isZero();
    assertThat(breaker.admit(probeAt + 10)).isEqualTo(Verdict.SEND);
  }

  @Test
  void aProbeFailureReopensForTwiceTheTimeUpToTheCap() {
    failTimes(FAILURES, 0);
    long probeAt = breaker.openUntilMs();

    breaker.admit(probeAt);
    breaker.record(breaker.round(), true, probeAt);
    assertThat(breaker.state(probeAt)).isEqualTo(State.OPEN);
    assertThat(breaker.openUntilMs()).isEqualTo(probeAt + 2 * OPEN_MIN_MS);

    long second = breaker.openUntilMs();
    breaker.admit(second);
    breaker.record(breaker.round(), true, second);
    assertThat(breaker.openUntilMs()).isEqualTo(second + OPEN_MAX_MS);
    assertThat(breaker.opened()).isEqualTo(3);
  }

  @Test
  void aFailureOfARequestStartedBeforeTheBreakerOpenedIsNotCounted() {
    breaker.admit(0);
    long before = breaker.round();
    failTimes(FAILURES, 0);
    long until = breaker.openUntilMs();

    breaker.record(before, true, 10);

    assertThat(breaker.openUntilMs()).isEqualTo(until);
    assertThat(breaker.opened()).isEqualTo(1);
  }

  @Test
  void aLateResultOfAnEarlierProbeRoundChangesNothing() {
    failTimes(FAILURES, 0);
    long probeAt = breaker.openUntilMs();
    breaker.admit(probeAt);
    breaker.admit(probeAt);
    long probeRound = breaker.round();
    breaker.record(probeRound, false, probeAt + 1); // First probe closes it.

    breaker.record(probeRound, true, probeAt + 2); // The second probe's failure comes late.

    assertThat(breaker.state(probeAt + 2)).isEqualTo(State.CLOSED);
    assertThat(breaker.consecutiveFailures()).isZero();
  }

  private void failTimes(int n, long nowMs) {
    for (int i = 0; i < n; i++) {
      assertThat(breaker.admit(nowMs)).isEqualTo(Verdict.SEND);
      breaker.record(breaker.round(), true, nowMs);
    }
  }
}
