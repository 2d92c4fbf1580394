package io.horae.server.exec;

import io.horae.server.config.HostConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Per-target-host protection on this node (DESIGN §7 "Targets", docs/host-protection.md): a
 * concurrency permit, a rate limit and a circuit breaker per scheme://host:port. The guard keeps at
 * most {@code trackedMax} hosts and forgets a host unused for {@code idleEvictAfter}; a new host
 * that finds the map full of hosts in use waits. Thread-safe.
 */
final class HostGuard {
  /** Pause before trying again when a host is at its limit or its probes are out. */
  static final long BUSY_WAIT_MILLIS = 50;

  /** Least time between two sweeps for idle hosts. */
  static final long SWEEP_EVERY_MILLIS = 1_000;

  /** Most URL authorities whose host key is remembered (see {@link #hostOfCached}). */
  static final int HOST_MEMO_MAX = 4_096;

  /**
   * A host whose breaker is not closed, for cluster status. {@code openUntilMs} is 0 unless open.
   */
  record BreakerView(
      String host, CircuitBreaker.State state, int consecutiveFailures, long openUntilMs) {}

  /**
   * What {@link #admit} decided: send with {@code permit}, wait for a permit of the host ({@code
   * atLimit}), wait {@code waitMs}, or defer to {@code probeAtMs}.
   */
  record Admission(Permit permit, long waitMs, String host, long probeAtMs, boolean atLimit) {
    Admission(Permit permit, long waitMs, String host, long probeAtMs) {
      this(permit, waitMs, host, probeAtMs, false);
    }

    boolean sends() {
      return permit != null;
    }

    boolean deferred() {
      return probeAtMs > 0;
    }
  }

  /**
   * A request's hold on its host: released exactly once, by {@link #finish} or {@link #abandon}.
   * {@link #UNGUARDED} (no parseable host) holds nothing.
   */
  static final class Permit {
    static final Permit UNGUARDED = new Permit(null, 0, null);
    private final HostState state;
    private final long round;
    private final Clock clock;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(HostState state, long round, Clock clock) {
      this.state = state;
      this.round = round;
      this.clock = clock;
    }

    /** The request got an outcome: judge the host by it and release the permit. */
    void finish(Outcome o) {
      if (state != null && released.compareAndSet(false, true)) {
        boolean failed = failure(o);
        state.finish(round, true, failed, failed ? why(o) : null, clock.millis());
      }
    }

    /** The request ended with nothing to judge the host by (cancelled, fenced): release only. */
    void abandon() {
      if (state != null && released.compareAndSet(false, true)) {
        state.finish(round, false, false, null, clock.millis());
      }
    }
  }

  private final HostConfig config;
  private final int concurrencyMax;
  private final Clock clock;
  private final HostMetrics metrics;
  private final java.util.Map<String, Optional<String>> hostMemo =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Hosts by key, least recently used first; guarded by itself. */
  private final LinkedHashMap<String, HostState> hosts = new LinkedHashMap<>(64, 0.75f, true);

  /** Guarded by {@link #hosts}. */
  private long sweptMs;

  HostGuard(HostConfig config, int concurrencyMax, Clock clock, HostMetrics metrics) {
    this.config = config;
    this.concurrencyMax = concurrencyMax;
    this.clock = clock;
    this.metrics = metrics;
    metrics.bindTracked(this::tracked, this::breakersOpen, config.trackedMax());
  }

  /**
   * The one place that says what counts against a host: no response (connect error, timeout), 429
   * and 5xx. Other answers, 4xx included, show the host is up; a request never sent (refused by the
   * target guard, not buildable) shows nothing.
   */
  /**
   * What a failed request got, for the line that says a breaker opened: the status, or the error's
   * class and its bounded text (what the execution's attempt history keeps too).
   */
  static String why(Outcome o) {
    return o.answered() ? "HTTP " + o.httpStatus() : o.errorClass() + ": " + o.error();
  }

  static boolean failure(Outcome o) {
    return !o.succeeded()
        && !o.permanent()
        && (!o.answered() || o.httpStatus() == 429 || o.httpStatus() >= 500);
  }

  /**
   * {@link TargetHosts#of}, remembered by the URL's scheme and authority (everything before the
   * path): parsing a whole URL (IDN mapping included) for every delivery was the owner loop's top
   * cost in the bench profile. Bounded: the memo is dropped whole when it reaches {@link
   * #HOST_MEMO_MAX}.
   */
  Optional<String> hostOfCached(String url) {
    if (url == null) {
      return Optional.empty();
    }
    String prefix = authority(url);
    Optional<String> known = hostMemo.get(prefix);
    if (known != null) {
      return known;
    }
    Optional<String> host = TargetHosts.of(url);
    if (hostMemo.size() >= HOST_MEMO_MAX) {
      hostMemo.clear();
    }
    hostMemo.put(prefix, host);
    return host;
  }

  /** The URL up to its path, query or fragment: what decides scheme, host and port. */
  static String authority(String url) {
    int start = url.indexOf("://");
    if (start < 0) {
      return url;
    }
    for (int i = start + 3; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '/' || c == '?' || c == '#' || c == '\\') {
        return url.substring(0, i);
      }
    }
    return url;
  }

  /** Decides for one request to {@code url}. A SEND admission must be ended with its permit. */
  Admission admit(String url) {
    Optional<String> host = hostOfCached(url);
    if (host.isEmpty()) {
      return new Admission(Permit.UNGUARDED, 0, "", 0);
    }
    long now = clock.millis();
    HostState state;
    HostState.Admitted a;
    // Admitted under the map's lock, so a host is never evicted between lookup and admission
    // (its permit would then count against a forgotten copy).
    synchronized (hosts) {
      state = state(host.get(), now);
      if (state == null) {
        metrics.hostsFull();
        return new Admission(null, BUSY_WAIT_MILLIS, host.get(), 0);
      }
      a = state.admit(now, BUSY_WAIT_MILLIS);
    }
    metrics.decided(state, a.decision());
    return switch (a.decision()) {
      case SEND -> new Admission(new Permit(state, a.round(), clock), 0, host.get(), 0);
      case DEFER -> new Admission(null, 0, host.get(), a.waitMs());
      case BUSY -> new Admission(null, a.waitMs(), host.get(), 0, true);
      case RATE_LIMITED, PROBING -> new Admission(null, a.waitMs(), host.get(), 0);
    };
  }

  /**
   * The state of {@code host}, added if new; null when the map is full of hosts in use. The caller
   * holds the lock of {@link #hosts}.
   */
  private HostState state(String host, long now) {
    if (now - sweptMs >= SWEEP_EVERY_MILLIS) {
      sweptMs = now;
      sweep(now - config.idleEvictAfter().toMillis());
    }
    HostState s = hosts.get(host);
    if (s != null) {
      return s;
    }
    if (hosts.size() >= config.trackedMax() && !evictOneUnused(now)) {
      return null;
    }
    s =
        new HostState(
            host,
            new CircuitBreaker(
                config.breakerFailures(),
                config.breakerOpenMin().toMillis(),
                config.breakerOpenMax().toMillis(),
                config.breakerProbesMax()),
            new HostRateLimiter(config.ratePerSecond(), config.rateBurst()),
            concurrencyMax,
            now);
    hosts.put(host, s);
    metrics.added(s);
    return s;
  }

  /** Forgets hosts idle since before {@code cutoffMs}; the least recently used come first. */
  private void sweep(long cutoffMs) {
    for (Iterator<HostState> it = hosts.values().iterator(); it.hasNext(); ) {
      HostState s = it.next();
      if (s.idleSince(cutoffMs)) {
        it.remove();
        metrics.removed(s);
      } else if (s.lastUsedMs() >= cutoffMs) {
        return;
      }
    }
  }

  /**
   * Makes room for a new host by forgetting the least recently used host with nothing in flight,
   * preferring one whose breaker is closed (forgetting an open breaker would let its host be hit
   * again at once). False when every host has requests in flight.
   */
  private boolean evictOneUnused(long now) {
    HostState fallback = null;
    for (HostState s : hosts.values()) {
      if (!s.unused()) {
        continue;
      }
      if (s.state(now) == CircuitBreaker.State.CLOSED) {
        fallback = s;
        break;
      }
      if (fallback == null) {
        fallback = s;
      }
    }
    if (fallback == null) {
      return false;
    }
    hosts.remove(fallback.host);
    metrics.removed(fallback);
    return true;
  }

  /**
   * Permits of {@code host} free now: its limit less its requests in flight; the whole limit for a
   * host not tracked (new, or forgotten while idle).
   */
  int room(String host) {
    synchronized (hosts) {
      HostState s = hosts.get(host);
      return s == null ? concurrencyMax : Math.max(0, concurrencyMax - s.inUse());
    }
  }

  int tracked() {
    synchronized (hosts) {
      return hosts.size();
    }
  }

  /** Tracked hosts whose breaker is open now; for the metrics (one look per scrape). */
  int breakersOpen() {
    long now = clock.millis();
    List<HostState> all;
    synchronized (hosts) {
      all = new ArrayList<>(hosts.values());
    }
    return (int) all.stream().filter(s -> s.state(now) == CircuitBreaker.State.OPEN).count();
  }

  /**
   * Hosts whose breaker is not closed, open ones first, then by most failures; at most {@code max}.
   */
  List<BreakerView> notClosed(int max) {
    long now = clock.millis();
    List<HostState> all;
    synchronized (hosts) {
      all = new ArrayList<>(hosts.values());
    }
    return all.stream()
        .map(s -> s.view(now))
        .filter(v -> v.state() != CircuitBreaker.State.CLOSED)
        .sorted(
            Comparator.comparing((BreakerView v) -> v.state() != CircuitBreaker.State.OPEN)
                .thenComparing(Comparator.comparingInt(BreakerView::consecutiveFailures).reversed())
                .thenComparing(BreakerView::host))
        .limit(max)
        .toList();
  }
}
