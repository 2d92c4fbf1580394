package io.horae.server.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * The executor's meters: deliveries by outcome, lateness, window depth against capacity, shards
 * owned.
 */
public final class ExecMetrics {
  /**
   * The lateness histogram's bucket bounds, from a healthy node's milliseconds to a backlog's
   * minutes. Fixed buckets rather than Micrometer's percentile histogram (about 70 buckets from 1
   * ms to 10 min): 15 series plus +Inf, each aggregable across nodes with {@code
   * histogram_quantile}, where client-side percentiles cannot be added up.
   */
  static final Duration[] LATENESS_BUCKETS = {
    Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100),
    Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2_500),
        Duration.ofSeconds(5),
    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
        Duration.ofMinutes(5)
  };

  private final MeterRegistry registry;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter noResponse;
  private final Counter notSent;
  private final Counter released;
  private final Counter fenced;
  private final Counter cancelled;
  private final Counter skipped;
  private final Counter dead;
  private final Timer lateness;
  private final AtomicInteger shardsOwned = new AtomicInteger();

  public ExecMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.succeeded = deliveries(registry, "succeeded");
    this.failed = deliveries(registry, "http_error");
    this.noResponse = deliveries(registry, "no_response");
    this.notSent = deliveries(registry, "not_sent");
    this.released =
        Counter.builder("horae.shards.released")
            .description("hand-offs this node released (Released proposed)")
            .register(registry);
    this.fenced =
        Counter.builder("horae.deliveries.fenced")
            .description(
                "executions stopped unsent at the last fence check because their shard moved")
            .register(registry);
    this.cancelled =
        Counter.builder("horae.deliveries.cancelled")
            .description("calls in flight aborted because their execution was cancelled")
            .register(registry);
    this.skipped =
        Counter.builder("horae.deliveries.skipped")
            .description("executions not sent because their job's overlap policy skipped them")
            .register(registry);
    this.lateness =
        Timer.builder("horae.delivery.lateness")
            .description("time from due to the start of the HTTP attempt")
            .serviceLevelObjectives(LATENESS_BUCKETS)
            .register(registry);
    this.dead =
        Counter.builder("horae.executions.dead")
            .description(
                "executions whose attempt on this node left no retry: they become dead letters when the result commits")
            .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "horae.shards.owned", shardsOwned, AtomicInteger::get)
        .description("shards this node owns in the applied shard map")
        .register(registry);
  }

  /** The registry, for the per-host meters of {@link HostMetrics}. */
  MeterRegistry registry() {
    return registry;
  }

  private static Counter deliveries(MeterRegistry registry, String outcome) {
    return Counter.builder("horae.deliveries")
        .description("webhook attempts by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * Gauges of the window and the dispatcher. Held strongly: a registry holds a gauge's object only
   * weakly, and these suppliers are lambdas nothing else references, so they were collected and the
   * gauges read NaN.
   */
  void bindWindow(IntSupplier size, int capacity, IntSupplier queued, IntSupplier running) {
    gauge(
        "horae.exec.window.size",
        size,
        "executions in this node's window: due, firing, or waiting for their result to commit");
    gauge(
        "horae.exec.window.capacity",
        () -> capacity,
        "most executions this node's window holds (exec.windowMax)");
    gauge("horae.dispatch.queued", queued, "calls waiting in the HTTP client's dispatcher");
    gauge("horae.dispatch.running", running, "HTTP calls in flight");
  }

  void delivered(Outcome o) {
    if (o.succeeded()) {
      succeeded.increment();
    } else if (o.permanent()) {
      notSent.increment(); // Refused by the target guard or not buildable: nothing went out.
    } else if (o.httpStatus() == 0) {
      noResponse.increment();
    } else {
      failed.increment();
    }
  }

  void lateness(long millis) {
    lateness.record(Duration.ofMillis(Math.max(0, millis)));
  }

  /** An attempt's result that ends its execution as a dead letter (failed, no retry left). */
  void dead() {
    dead.increment();
  }

  /**
   * The result batcher's depth: results queued, and those in a Complete not yet answered. Both are
   * bounded by the window (exec.windowMax), which {@code horae.exec.window.capacity} shows.
   */
  void bindResults(IntSupplier queued, IntSupplier proposing) {
    gauge(
        "horae.exec.results.queued",
        queued,
        "attempt results waiting to be proposed in a Complete");
    gauge(
        "horae.exec.results.proposing",
        proposing,
        "attempt results in a Complete whose commit is not answered yet");
  }

  /** How far behind its due work the owner loop is (Executor#behindMs). */
  void bindBehind(java.util.function.LongSupplier millis) {
    io.micrometer.core.instrument.Gauge.builder(
            "horae.exec.behind", millis, m -> m.getAsLong() / 1e3)
        .description(
            "how far behind its due work this node's owner loop was over the last half second"
                + " (waits for the lease, hosts and retries excluded); the cluster sheds creates"
                + " while an owner is behind")
        .baseUnit("seconds")
        .strongReference(true)
        .register(registry);
  }

  private void gauge(String name, IntSupplier value, String description) {
    io.micrometer.core.instrument.Gauge.builder(name, value, v -> v.getAsInt())
        .description(description)
        .strongReference(true)
        .register(registry);
  }

  void shardsOwned(int n) {
    shardsOwned.set(n);
  }

  void released() {
    released.increment();
  }

  void fenced() {
    fenced.increment();
  }

  void skipped() {
    skipped.increment();
  }

  void aborted() {
    cancelled.increment();
  }
}
