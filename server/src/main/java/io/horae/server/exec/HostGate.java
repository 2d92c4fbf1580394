package io.horae.server.exec;

import io.horae.api.v1.Job;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Outcome;
import io.horae.server.config.HostConfig;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the executor meets the {@link HostGuard} (docs/host-protection.md): before a request, the
 * host's limits decide whether it goes now, waits here a moment (at a limit: nothing is spent), or
 * is deferred through Raft (breaker open: the execution waits in RETRY_WAIT until the breaker's
 * next probe, its attempt count unchanged); after it, the outcome is judged and the permit freed.
 */
final class HostGate {
  private static final Logger LOG = LoggerFactory.getLogger(HostGate.class);

  private final HostGuard guard;
  private final HostConfig config;
  private final Clock clock;

  /** Not thread-safe: used only by {@link #enter}, which runs on the executor's timer thread. */
  private final RandomGenerator random;

  private final Consumer<AttemptResult> results;

  HostGate(
      HostGuard guard,
      HostConfig config,
      Clock clock,
      RandomGenerator random,
      Consumer<AttemptResult> results) {
    this.guard = guard;
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.results = results;
  }

  /** A gate with its own guard and per-host meters, for an executor. */
  static HostGate create(
      HostConfig config,
      int concurrencyMax,
      Clock clock,
      io.micrometer.core.instrument.MeterRegistry registry,
      Consumer<AttemptResult> results) {
    HostGuard guard =
        new HostGuard(
            config,
            concurrencyMax,
            clock,
            new HostMetrics(registry, config.metricsHostsMax(), clock));
    return new HostGate(guard, config, clock, new java.util.SplittableRandom(), results);
  }

  /**
   * A permit to send {@code c} now, or null when it does not go now: then either {@code atLimit}
   * was called with the host (at its permit limit: wait for {@link #room}), {@code retryLater} with
   * a delay (rate limit, probes out, host table full), or a deferral result was handed to the
   * result batcher, which ends the execution's stay in the window like any other result.
   */
  HostGuard.Permit enter(Job job, Held c, LongConsumer retryLater, Consumer<String> atLimit) {
    HostGuard.Admission a = guard.admit(job.getTarget().getUrl());
    if (a.sends()) {
      return a.permit();
    }
    if (a.atLimit()) {
      atLimit.accept(a.host());
      return null;
    }
    if (!a.deferred()) {
      retryLater.accept(a.waitMs());
      return null;
    }
    long now = clock.millis();
    long jitterMs = config.deferJitter().toMillis();
    long retryAtMs =
        Math.max(a.probeAtMs(), now) + (jitterMs > 0 ? random.nextLong(jitterMs + 1) : 0);
    LOG.debug(
        "deferred execution={} attempt={} host={} retryAtMs={}",
        c.executionId(),
        c.attempt(),
        a.host(),
        retryAtMs);
    results.accept(deferred(c, a.host(), retryAtMs, now));
    return null;
  }

  /** The host key of the job's target (scheme://host:port), or null when its URL does not parse. */
  String hostOf(Job job) {
    return guard.hostOfCached(job.getTarget().getUrl()).orElse(null);
  }

  /** Permits of {@code host} free now (see {@link HostGuard#room}). */
  int room(String host) {
    return guard.room(host);
  }

  /**
   * Ends {@code permit} when {@code sent} completes: the outcome counts for or against the host
   * unless the execution is no longer held (cancelled), the request was stopped before sending
   * (fenced), or it failed for a reason that is not the host's (refused by the target guard, not
   * buildable). Returns a future that completes like {@code sent} once the permit is given back, so
   * what the caller does next (telling the owner loop the call ended) sees the permit free.
   */
  CompletableFuture<io.horae.server.exec.Outcome> settle(
      HostGuard.Permit permit,
      CompletableFuture<io.horae.server.exec.Outcome> sent,
      BooleanSupplier held) {
    return sent.whenComplete(
        (outcome, error) -> {
          if (error == null && held.getAsBoolean() && !outcome.permanent()) {
            permit.finish(outcome);
          } else {
            permit.abandon();
          }
        });
  }

  /** The result of an execution not sent because its host's breaker was open. */
  static AttemptResult deferred(Held c, String host, long retryAtMs, long nowMs) {
    return AttemptResult.newBuilder()
        .setExecutionId(c.executionId())
        .setAttemptNumber(c.attempt())
        .setOutcome(Outcome.OUTCOME_DEFERRED)
        .setRetryAtMs(retryAtMs)
        .setError("circuit open for " + host)
        .setFinishedMs(nowMs)
        .build();
  }

  /** Hosts whose breaker is not closed, for this node's status; at most {@code statusHostsMax}. */
  java.util.List<io.horae.api.v1.HostBreaker> notClosed() {
    return guard.notClosed(config.statusHostsMax()).stream()
        .map(
            v ->
                io.horae.api.v1.HostBreaker.newBuilder()
                    .setHost(v.host())
                    .setState(v.state().name())
                    .setConsecutiveFailures(v.consecutiveFailures())
                    .setOpenUntilMs(v.openUntilMs())
                    .build())
        .toList();
  }
}
