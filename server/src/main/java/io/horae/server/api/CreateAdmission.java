package io.horae.server.api;

import io.horae.server.errors.ClusterBehindException;
import io.horae.server.exec.TargetHosts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Sheds creates while a shard owner is behind its due work (docs/delivery.md, "Admission").
 *
 * <p>Past the cluster's capacity, accepting every create only grows a backlog that is delivered
 * later and later; refusing the excess at the edge keeps deliveries at capacity and the accepted
 * ones close to their time. Each owner measures how far behind it is (Executor#behindMs, waits it
 * could not help left out) and reports it; the leader puts the largest fresh one in every ack
 * ({@link #learned}). From half of {@code api.admissionLateness} a growing share of create calls is
 * refused, all of them at it: a ramp rather than a switch, so that the accepted rate settles near
 * what the owners keep up with instead of swinging between all and nothing. A call is one draw: a
 * CreateJobs call is accepted or refused whole, before any of its items is validated.
 *
 * <p>A target host whose executions wait for its permits (a slow or small webhook receiver) is
 * behind the same way, but only the creates for that host are shed ({@link #admitTarget}): one
 * tenant's slow receiver does not refuse the others' work.
 *
 * <p>An ack older than {@code staleAfter} no longer counts (no leader: the create fails on its own
 * anyway). Thread safety: the last ack is one immutable record in a volatile field.
 */
public final class CreateAdmission {
  /** The retry hint of a shed create: about the time an owner needs to show it caught up. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private record Learned(String nodeId, long behindMs, Map<String, Long> hosts, long atNanos) {}

  private final long fullMs;
  private final long staleNanos;
  private final LongSupplier nanos;
  private final DoubleSupplier draw;
  private volatile Learned last = new Learned("", 0, Map.of(), Long.MIN_VALUE);

  /**
   * @param lateness api.admissionLateness: every create is shed from here, a share from half of it;
   *     zero never sheds
   * @param staleAfter how long an ack counts (lease.duration + lease.margin)
   * @param draw a uniform number in [0, 1) per call
   */
  CreateAdmission(
      Duration lateness,
      Duration staleAfter,
      LongSupplier nanos,
      DoubleSupplier draw,
      MeterRegistry registry) {
    this.fullMs = lateness.toMillis();
    this.staleNanos = staleAfter.toNanos();
    this.nanos = nanos;
    this.draw = draw;
    Gauge.builder("horae.admission.behind", this, a -> a.behindMs() / 1e3)
        .description(
            "how far behind its due work the furthest shard owner is, by the leader's last ack")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("horae.admission.shed.share", this, a -> shedShare(a.behindMs(), a.fullMs))
        .description("share of create calls this node sheds now (api.admissionLateness)")
        .register(registry);
  }

  public static CreateAdmission of(Duration lateness, Duration staleAfter, MeterRegistry registry) {
    return new CreateAdmission(
        lateness,
        staleAfter,
        System::nanoTime,
        () -> ThreadLocalRandom.current().nextDouble(),
        registry);
  }

  /**
   * The leader's ack named {@code nodeId} as the owner furthest behind, by {@code behindMs}, and
   * the target hosts whose executions wait for their permits, with their waits in ms.
   */
  public void learned(String nodeId, long behindMs, Map<String, Long> hosts) {
    last = new Learned(nodeId, behindMs, Map.copyOf(hosts), nanos.getAsLong());
  }

  /** How far behind the furthest owner is by the last fresh ack, or 0. */
  long behindMs() {
    Learned l = last;
    return nanos.getAsLong() - l.atNanos() <= staleNanos ? l.behindMs() : 0;
  }

  /** Passes a create call, or throws {@link ClusterBehindException} to shed it. */
  void admit() {
    Learned l = last;
    if (nanos.getAsLong() - l.atNanos() > staleNanos) {
      return;
    }
    if (shed(l.behindMs())) {
      throw ClusterBehindException.owner(l.nodeId(), l.behindMs(), RETRY_AFTER);
    }
  }

  /**
   * Passes a create for {@code url}, or throws {@link ClusterBehindException} to shed it when the
   * executions for its target host wait for the host's permits (the URL is parsed only then).
   */
  void admitTarget(String url) {
    Learned l = last;
    if (l.hosts().isEmpty() || nanos.getAsLong() - l.atNanos() > staleNanos) {
      return;
    }
    Optional<String> host = TargetHosts.of(url);
    Long waited = host.map(l.hosts()::get).orElse(null);
    if (waited != null && shed(waited)) {
      throw ClusterBehindException.target(host.get(), waited, RETRY_AFTER);
    }
  }

  private boolean shed(long behindMs) {
    double share = shedShare(behindMs, fullMs);
    return share > 0 && (share >= 1 || draw.getAsDouble() < share);
  }

  /**
   * The share of create calls shed when the furthest owner is {@code behindMs} behind: none up to
   * half of {@code fullMs}, rising linearly to all at {@code fullMs}; none when {@code fullMs} is
   * 0.
   */
  static double shedShare(long behindMs, long fullMs) {
    if (fullMs <= 0) {
      return 0;
    }
    double from = fullMs / 2.0;
    if (behindMs <= from) {
      return 0;
    }
    return Math.min(1, (behindMs - from) / (fullMs - from));
  }
}
