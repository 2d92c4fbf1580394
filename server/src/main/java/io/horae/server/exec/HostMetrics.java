package io.horae.server.exec;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Per-host meters of the {@link HostGuard}, tagged {@code host=scheme://host:port}. The tag set is
 * bounded: at most {@code hostsMax} hosts get their own meters (their meters leave with them when
 * the guard forgets them); the counters of any other host add up under {@code host="_other"}, and
 * such hosts have no gauges.
 */
final class HostMetrics {
  static final String OTHER = "_other";

  /** The meters of one host; {@code own} lists those to remove when the host is forgotten. */
  private record Meters(Counter deferrals, Counter rateLimited, Counter busy, List<Meter> own) {}

  private final MeterRegistry registry;
  private final int hostsMax;
  private final Clock clock;
  private final Meters other;
  private final Counter hostsFull;
  private final Map<HostState, Meters> byHost = new ConcurrentHashMap<>();

  HostMetrics(MeterRegistry registry, int hostsMax, Clock clock) {
    this.registry = registry;
    this.hostsMax = hostsMax;
    this.clock = clock;
    this.other = new Meters(deferrals(OTHER), rateLimited(OTHER), busy(OTHER), List.of());
    this.hostsFull =
        Counter.builder("horae.hosts.full")
            .description(
                "times a delivery was held back because the host table was full of hosts in use")
            .register(registry);
  }

  void bindTracked(IntSupplier tracked, IntSupplier breakersOpen, int capacity) {
    Gauge.builder("horae.hosts.tracked", tracked, s -> s.getAsInt())
        .description("target hosts whose state this node keeps")
        .register(registry);
    // One figure for every host, tracked-with-meters or not: the per-host breaker gauges stop at
    // hostsMax.
    Gauge.builder("horae.hosts.breakers.open", breakersOpen, s -> s.getAsInt())
        .description("target hosts whose circuit breaker is open on this node")
        .strongReference(true)
        .register(registry);
    Gauge.builder("horae.hosts.tracked.capacity", () -> capacity)
        .description("most target hosts this node keeps")
        .register(registry);
  }

  /** A host the guard started to track; it gets its own meters while there is room. */
  void added(HostState s) {
    if (byHost.size() >= hostsMax) {
      return;
    }
    Counter deferrals = deferrals(s.host);
    Counter rateLimited = rateLimited(s.host);
    Counter busy = busy(s.host);
    Meter state =
        Gauge.builder("horae.host.breaker.state", s, h -> h.state(clock.millis()).ordinal())
            .description("circuit breaker of a target host: 0 closed, 1 open, 2 half-open")
            .tag("host", s.host)
            .register(registry);
    Meter inUse =
        Gauge.builder("horae.host.permits.in_use", s, HostState::inUse)
            .description("requests in flight to a target host, against exec.maxRequestsPerHost")
            .tag("host", s.host)
            .register(registry);
    Meter opened =
        FunctionCounter.builder("horae.host.breaker.opened", s, HostState::opened)
            .description("times the circuit breaker of a target host opened")
            .tag("host", s.host)
            .register(registry);
    byHost.put(
        s,
        new Meters(
            deferrals,
            rateLimited,
            busy,
            List.of(deferrals, rateLimited, busy, state, inUse, opened)));
  }

  /** A host the guard forgot: its meters go, making room for another host's. */
  void removed(HostState s) {
    Meters m = byHost.remove(s);
    if (m != null) {
      m.own().forEach(registry::remove);
    }
  }

  void decided(HostState s, HostState.Decision d) {
    Meters m = byHost.getOrDefault(s, other);
    switch (d) {
      case DEFER -> m.deferrals().increment();
      case RATE_LIMITED -> m.rateLimited().increment();
      case BUSY, PROBING -> m.busy().increment();
      case SEND -> {}
    }
  }

  void hostsFull() {
    hostsFull.increment();
  }

  private Counter deferrals(String host) {
    return Counter.builder("horae.host.deferrals")
        .description("deliveries deferred because the target host's breaker was open")
        .tag("host", host)
        .register(registry);
  }

  private Counter rateLimited(String host) {
    return Counter.builder("horae.host.rate_limited")
        .description("times a delivery was held back by the target host's rate limit")
        .tag("host", host)
        .register(registry);
  }

  private Counter busy(String host) {
    return Counter.builder("horae.host.busy")
        .description(
            "times a delivery was held back by the target host's concurrency limit or its breaker's probes")
        .tag("host", host)
        .register(registry);
  }
}
