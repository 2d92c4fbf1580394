package io.horae.server.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/** The executor's meters: deliveries by outcome, lateness, window depth against capacity, shards owned. */
public final class ExecMetrics {
  private final MeterRegistry registry;
  private final Counter succeeded;
  private final Counter failed;
  private final Counter noResponse;
  private final Counter notSent;
  private final Counter released;
  private final Counter fenced;
  private final Counter cancelled;
  private final Counter skipped;
  private final Timer lateness;
  private final AtomicInteger shardsOwned = new AtomicInteger();

  public ExecMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.succeeded = deliveries(registry, "succeeded");
    this.failed = deliveries(registry, "http_error");
    this.noResponse = deliveries(registry, "no_response");
    this.notSent = deliveries(registry, "not_sent");
    this.released =
        Counter.builder("horae.shards.released").description("hand-offs this node released (Released proposed)").register(registry);
    this.fenced =
        Counter.builder("horae.deliveries.fenced")
            .description("executions stopped unsent at the last fence check because their shard moved")
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
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
    registry.gauge("horae.shards.owned", shardsOwned);
  }

  /** The registry, for the per-host meters of {@link HostMetrics}. */
  MeterRegistry registry() {
    return registry;
  }

  private static Counter deliveries(MeterRegistry registry, String outcome) {
    return Counter.builder("horae.deliveries").description("webhook attempts by outcome").tag("outcome", outcome).register(registry);
  }

  /**
   * Gauges of the window and the dispatcher. Held strongly: a registry holds a gauge's object only
   * weakly, and these suppliers are lambdas nothing else references, so they were collected and
   * the gauges read NaN.
   */
  void bindWindow(IntSupplier size, int capacity, IntSupplier queued, IntSupplier running) {
    gauge("horae.exec.window.size", size);
    registry.gauge("horae.exec.window.capacity", capacity);
    gauge("horae.dispatch.queued", queued);
    gauge("horae.dispatch.running", running);
  }

  private void gauge(String name, IntSupplier value) {
    io.micrometer.core.instrument.Gauge.builder(name, value, v -> v.getAsInt()).strongReference(true).register(registry);
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
