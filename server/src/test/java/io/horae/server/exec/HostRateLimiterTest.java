package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket, driven by explicit times: a full burst at start, then the rate. */
class HostRateLimiterTest {
  @Test
  void aFullBurstGoesAtOnceThenTheNextWaitsForItsToken() {
    HostRateLimiter limiter = new HostRateLimiter(10, 3);

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryTake(1_000)).as("request %d", i).isZero();
    }
    assertThat(limiter.tryTake(1_000)).isEqualTo(100);
    assertThat(limiter.tryTake(1_060)).isEqualTo(40);
    assertThat(limiter.tryTake(1_100)).isZero();
  }

  @Test
  void overALongRunRequestsAreHeldToTheRate() {
    HostRateLimiter limiter = new HostRateLimiter(20, 1);
    int sent = 0;
    for (long t = 0; t < 10_000; t++) {
      if (limiter.tryTake(t) == 0) {
        sent++;
      }
    }

    assertThat(sent).isBetween(199, 201);
  }

  @Test
  void savedTokensNeverExceedTheBurst() {
    HostRateLimiter limiter = new HostRateLimiter(100, 2);
    limiter.tryTake(0);

    int atOnce = 0;
    while (limiter.tryTake(60_000) == 0) {
      atOnce++;
    }

    assertThat(atOnce).isEqualTo(2);
  }

  @Test
  void aTokenGivenBackCanBeTakenAgain() {
    HostRateLimiter limiter = new HostRateLimiter(1, 1);
    assertThat(limiter.tryTake(0)).isZero();
    assertThat(limiter.tryTake(0)).isPositive();

    limiter.giveBack();

    assertThat(limiter.tryTake(0)).isZero();
  }

  @Test
  void aRateOfZeroNeverLimits() {
    HostRateLimiter limiter = new HostRateLimiter(0, 1);

    for (int i = 0; i < 1_000; i++) {
      assertThat(limiter.tryTake(0)).isZero();
    }
  }
}
