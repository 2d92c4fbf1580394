package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.RetryPolicy;
import io.horae.server.config.ExecConfig;
import io.horae.server.config.StatusSet;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The retry policy's arithmetic: caps, full jitter, Retry-After, defaults and retried statuses. */
class BackoffTest {
  private static final ExecConfig DEFAULTS =
      new ExecConfig(
          ExecConfig.LOOKAHEAD_DEFAULT,
          ExecConfig.SCAN_INTERVAL_DEFAULT,
          ExecConfig.SCAN_BATCH_MAX_DEFAULT,
          ExecConfig.WINDOW_MAX_DEFAULT,
          ExecConfig.DISPATCH_CONCURRENCY_DEFAULT,
          ExecConfig.DISPATCH_QUEUE_MAX_DEFAULT,
          ExecConfig.COMPLETE_BATCH_MAX_DEFAULT,
          ExecConfig.RESULT_LINGER_DEFAULT,
          ExecConfig.DELIVERY_TIMEOUT_DEFAULT,
          ExecConfig.MAX_REQUESTS_PER_HOST_DEFAULT,
          3,
          Duration.ofSeconds(1),
          Duration.ofSeconds(30),
          ExecConfig.MISFIRE_GRACE_DEFAULT,
          ExecConfig.CONNECT_TIMEOUT_DEFAULT,
          3.0,
          ExecConfig.RETRY_DEADLINE_DEFAULT,
          StatusSet.parse("429,503"),
          1024,
          20,
          ExecConfig.VIRTUAL_HTTP_THREADS_DEFAULT,
          ExecConfig.IDLE_CONNECTION_TIMEOUT_DEFAULT);
  private final Backoff backoff = new Backoff(DEFAULTS, new SplittableRandom(42));

  @Test
  void theCapGrowsByTheMultiplierFromTheInitialBackoffUpToTheMaximum() {
    RetryPolicy p =
        RetryPolicy.newBuilder()
            .setInitialBackoffMs(100)
            .setMaxBackoffMs(1_000)
            .setMultiplier(2)
            .build();
    assertThat(backoff.capMs(p, 1)).isEqualTo(100);
    assertThat(backoff.capMs(p, 2)).isEqualTo(200);
    assertThat(backoff.capMs(p, 4)).isEqualTo(800);
    assertThat(backoff.capMs(p, 5)).isEqualTo(1_000);
    assertThat(backoff.capMs(p, 99)).isEqualTo(1_000);
  }

  @Test
  void unsetFieldsTakeTheNodeDefaults() {
    RetryPolicy none = RetryPolicy.getDefaultInstance();
    assertThat(backoff.attemptsMax(none)).isEqualTo(3);
    assertThat(backoff.capMs(none, 1)).isEqualTo(1_000);
    assertThat(backoff.capMs(none, 2)).as("default multiplier 3").isEqualTo(3_000);
    assertThat(backoff.capMs(none, 10)).isEqualTo(30_000);
    assertThat(backoff.retriedStatus(none, 503)).isTrue();
    assertThat(backoff.retriedStatus(none, 500)).as("not in this node's list").isFalse();
  }

  @Test
  void fullJitterDrawsOverTheWholeRangeFromZeroToTheCap() {
    RetryPolicy p =
        RetryPolicy.newBuilder().setInitialBackoffMs(1_000).setMaxBackoffMs(1_000).build();
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < 10_000; i++) {
      long d = backoff.delayMs(p, 1, 0);
      assertThat(d).isBetween(0L, 1_000L);
      min = Math.min(min, d);
      max = Math.max(max, d);
    }
    assertThat(min).isLessThan(50);
    assertThat(max).isGreaterThan(950);
  }

  @Test
  void retryAfterIsAFloorItselfCappedByTheMaximumBackoff() {
    RetryPolicy p =
        RetryPolicy.newBuilder().setInitialBackoffMs(100).setMaxBackoffMs(5_000).build();
    for (int i = 0; i < 1_000; i++) {
      assertThat(backoff.delayMs(p, 1, 2_000)).isEqualTo(2_000);
      assertThat(backoff.delayMs(p, 1, 3_600_000)).isEqualTo(5_000);
    }
  }

  @Test
  void aJobsOwnStatusListReplacesTheNodesAndGoneIsNeverRetried() {
    RetryPolicy p = RetryPolicy.newBuilder().addRetryStatuses(409).build();
    assertThat(backoff.retriedStatus(p, 409)).isTrue();
    assertThat(backoff.retriedStatus(p, 503)).isFalse();
    assertThat(backoff.retriedStatus(RetryPolicy.newBuilder().addRetryStatuses(410).build(), 410))
        .isFalse();
  }
}
