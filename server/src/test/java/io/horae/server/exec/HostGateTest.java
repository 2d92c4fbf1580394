package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.internal.v1.AttemptResult;
import io.horae.server.config.HostConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * What the executor gets from the gate: a permit, a local wait, or a deferral result for the result
 * batcher; and how a finished, cancelled or fenced call ends its permit.
 */
class HostGateTest {
  static final Outcome DOWN = Outcome.response(503, 1);
  static final Job JOB =
      Job.newBuilder()
          .setName("j")
          .setTarget(Target.newBuilder().setUrl("http://down.example:8080/x"))
          .build();
  static final Duration JITTER = Duration.ofMillis(300);

  private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<AttemptResult> results = new ArrayList<>();
  private final List<Long> waits = new ArrayList<>();
  private final List<String> atLimit = new ArrayList<>();
  private final HostGuard guard =
      new HostGuard(config(), 1, clock, new HostMetrics(new SimpleMeterRegistry(), 10, clock));
  private final HostGate gate =
      new HostGate(guard, config(), clock, new SplittableRandom(7), results::add);

  @Test
  void anOpenBreakerDefersToItsProbeTimePlusJitterWithoutSpendingAnAttempt() {
    for (int i = 0; i < 2; i++) {
      gate.settle(
          gate.enter(JOB, held(i), waits::add, atLimit::add),
          CompletableFuture.completedFuture(DOWN),
          () -> true);
    }
    long probeAt = clock.millis() + 1_000;

    assertThat(gate.enter(JOB, held(9), waits::add, atLimit::add)).isNull();

    assertThat(waits).isEmpty();
    AttemptResult r = results.getFirst();
    assertThat(r.getExecutionId()).isEqualTo("default/j@9");
    assertThat(r.getOutcome()).isEqualTo(io.horae.internal.v1.Outcome.OUTCOME_DEFERRED);
    assertThat(r.getRetryAtMs()).isBetween(probeAt, probeAt + JITTER.toMillis());
    assertThat(r.getError()).isEqualTo("circuit open for http://down.example:8080");
    assertThat(r.getFinishedMs()).isEqualTo(clock.millis());
    assertThat(r.hasAttempt()).as("no attempt is recorded for a deferral").isFalse();
    assertThat(gate.notClosed())
        .singleElement()
        .satisfies(b -> assertThat(b.getState()).isEqualTo("OPEN"));
  }

  @Test
  void aHostAtItsLimitMakesTheFireWaitLocallyAndAFreedPermitLetsItGo() {
    CompletableFuture<Outcome> call = new CompletableFuture<>();
    gate.settle(gate.enter(JOB, held(1), waits::add, atLimit::add), call, () -> true);

    assertThat(gate.enter(JOB, held(2), waits::add, atLimit::add)).isNull();
    assertThat(atLimit).containsExactly("http://down.example:8080");
    assertThat(waits).as("a wait for a permit has no timer").isEmpty();
    assertThat(gate.room("http://down.example:8080")).isZero();
    assertThat(results).isEmpty();

    call.complete(Outcome.response(200, 1));
    assertThat(gate.room("http://down.example:8080")).isEqualTo(1);
    assertThat(gate.enter(JOB, held(2), waits::add, atLimit::add)).isNotNull();
  }

  @Test
  void aCancelledOrFencedCallFreesItsPermitWithoutCountingAgainstTheHost() {
    for (int i = 0; i < 2; i++) {
      // Cancelled: the call failed, but the execution is no longer held.
      gate.settle(
          gate.enter(JOB, held(i), waits::add, atLimit::add),
          CompletableFuture.completedFuture(DOWN),
          () -> false);
    }
    gate.settle(
        gate.enter(JOB, held(3), waits::add, atLimit::add),
        CompletableFuture.failedFuture(new Delivery.Fenced(FenceCheck.MOVED)),
        () -> true);

    assertThat(gate.notClosed()).isEmpty();
    assertThat(gate.enter(JOB, held(4), waits::add, atLimit::add)).isNotNull();
  }

  private static Held held(int n) {
    return new Held("default/j@" + n, "default", "j", n, n, 1, 0, 1);
  }

  private static HostConfig config() {
    HostConfig d = HostConfig.DEFAULTS;
    return new HostConfig(
        0,
        1,
        2,
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        1,
        JITTER,
        10,
        d.idleEvictAfter(),
        10,
        20);
  }
}
