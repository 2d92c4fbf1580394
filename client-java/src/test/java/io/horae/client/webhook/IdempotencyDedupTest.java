package io.horae.client.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The dedup answers "first time" once per key within the TTL, forgets keys at the TTL and the
 * oldest key when full, and stays correct under concurrent callers. Time comes from a settable
 * clock, so nothing sleeps.
 */
class IdempotencyDedupTest {
  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void answersTrueOnlyTheFirstTimeAKeyIsSeen() {
    IdempotencyDedup dedup = IdempotencyDedup.builder().clock(clock).build();

    assertThat(dedup.firstTime("exec-1")).isTrue();
    assertThat(dedup.firstTime("exec-1")).isFalse();
    assertThat(dedup.firstTime("exec-2")).isTrue();
    assertThat(dedup.size()).isEqualTo(2);
  }

  @Test
  void forgetsAKeyOnceItsTtlHasPassedSinceItWasFirstSeen() {
    IdempotencyDedup dedup =
        IdempotencyDedup.builder().ttl(Duration.ofMinutes(10)).clock(clock).build();
    dedup.firstTime("exec-1");

    clock.advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(dedup.firstTime("exec-1")).as("a repeat does not extend the TTL").isFalse();

    clock.advance(Duration.ofMillis(1));
    assertThat(dedup.firstTime("exec-1")).isTrue();
  }

  @Test
  void dropsExpiredKeysSoTheyDoNotHoldMemory() {
    IdempotencyDedup dedup =
        IdempotencyDedup.builder().ttl(Duration.ofMinutes(1)).clock(clock).build();
    for (int i = 0; i < 100; i++) {
      dedup.firstTime("exec-" + i);
    }

    clock.advance(Duration.ofMinutes(2));
    dedup.firstTime("later");

    assertThat(dedup.size()).isEqualTo(1);
    assertThat(dedup.evictedFullCount()).isZero();
  }

  @Test
  void forgetsTheOldestKeyWhenFull() {
    IdempotencyDedup dedup = IdempotencyDedup.builder().entriesMax(3).clock(clock).build();
    for (String key : List.of("a", "b", "c")) {
      dedup.firstTime(key);
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(dedup.firstTime("a")).as("a repeat takes no room").isFalse();
    assertThat(dedup.firstTime("d")).isTrue();

    assertThat(dedup.size()).isEqualTo(3);
    assertThat(dedup.evictedFullCount()).isEqualTo(1);
    assertThat(dedup.firstTime("b")).isFalse();
    assertThat(dedup.firstTime("a")).as("the oldest was forgotten").isTrue();
  }

  @Test
  void processesAKeyAgainAfterItIsForgottenOnFailure() {
    IdempotencyDedup dedup = IdempotencyDedup.builder().clock(clock).build();
    dedup.firstTime("exec-1");

    dedup.forget("exec-1");

    assertThat(dedup.firstTime("exec-1")).isTrue();
  }

  @Test
  void refusesEmptyOrOversizedKeysAndBadBounds() {
    IdempotencyDedup dedup = IdempotencyDedup.builder().clock(clock).build();

    assertThatThrownBy(() -> dedup.firstTime("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> dedup.firstTime("k".repeat(IdempotencyDedup.KEY_CHARS_MAX + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IdempotencyDedup.builder().entriesMax(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IdempotencyDedup.builder().ttl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void letsExactlyOneOfManyConcurrentCallersThroughPerKey() throws Exception {
    IdempotencyDedup dedup = IdempotencyDedup.builder().clock(clock).build();
    int keys = 200;
    int callersPerKey = 4;
    AtomicInteger firsts = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> calls = new ArrayList<>();
      for (int caller = 0; caller < callersPerKey; caller++) {
        calls.add(
            pool.submit(
                () -> {
                  for (int k = 0; k < keys; k++) {
                    if (dedup.firstTime("exec-" + k)) {
                      firsts.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> call : calls) {
        call.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(firsts.get()).isEqualTo(keys);
    assertThat(dedup.size()).isEqualTo(keys);
  }
}
