package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-target-host protection (DESIGN §7 "Targets", docs/host-protection.md): a rate limit and a
 * circuit breaker per scheme://host:port, judged by each node on its own. The per-host concurrency
 * limit is {@link ExecConfig#maxRequestsPerHost()}.
 *
 * @param ratePerSecond most requests started per second to one host; 0 turns the limit off
 * @param rateBurst requests one host may receive at once after a quiet spell (the bucket size)
 * @param breakerFailures consecutive failures (no response, 429, 5xx) that open a host's breaker
 * @param breakerOpenMin how long a breaker stays open the first time before it lets a probe through
 * @param breakerOpenMax cap of the open time, which doubles each time a probe fails
 * @param breakerProbesMax most probe requests in flight while a breaker is half-open
 * @param deferJitter spread added to the time deferred executions come back, so a backlog does not
 *     return at one instant
 * @param trackedMax most hosts whose state is kept; a new host beyond it waits until one is evicted
 * @param idleEvictAfter a host with nothing in flight and no request for this long is forgotten
 * @param metricsHostsMax most hosts with their own meters; the others are counted under "_other"
 * @param statusHostsMax most hosts with a breaker not closed listed per node in cluster status
 */
public record HostConfig(
    int ratePerSecond,
    int rateBurst,
    int breakerFailures,
    Duration breakerOpenMin,
    Duration breakerOpenMax,
    int breakerProbesMax,
    Duration deferJitter,
    int trackedMax,
    Duration idleEvictAfter,
    int metricsHostsMax,
    int statusHostsMax) {

  public static final int RATE_PER_SECOND_DEFAULT = 0;
  public static final int RATE_BURST_DEFAULT = 10;
  public static final int BREAKER_FAILURES_DEFAULT = 5;
  public static final Duration BREAKER_OPEN_MIN_DEFAULT = Duration.ofSeconds(5);
  public static final Duration BREAKER_OPEN_MAX_DEFAULT = Duration.ofMinutes(5);
  public static final int BREAKER_PROBES_MAX_DEFAULT = 1;
  public static final Duration DEFER_JITTER_DEFAULT = Duration.ofSeconds(1);
  public static final int TRACKED_MAX_DEFAULT = 10_000;
  public static final Duration IDLE_EVICT_AFTER_DEFAULT = Duration.ofMinutes(10);
  public static final int METRICS_HOSTS_MAX_DEFAULT = 100;
  public static final int STATUS_HOSTS_MAX_DEFAULT = 20;

  public static final HostConfig DEFAULTS =
      new HostConfig(
          RATE_PER_SECOND_DEFAULT,
          RATE_BURST_DEFAULT,
          BREAKER_FAILURES_DEFAULT,
          BREAKER_OPEN_MIN_DEFAULT,
          BREAKER_OPEN_MAX_DEFAULT,
          BREAKER_PROBES_MAX_DEFAULT,
          DEFER_JITTER_DEFAULT,
          TRACKED_MAX_DEFAULT,
          IDLE_EVICT_AFTER_DEFAULT,
          METRICS_HOSTS_MAX_DEFAULT,
          STATUS_HOSTS_MAX_DEFAULT);

  public HostConfig {
    Objects.requireNonNull(breakerOpenMin, "breakerOpenMin");
    Objects.requireNonNull(breakerOpenMax, "breakerOpenMax");
    Objects.requireNonNull(deferJitter, "deferJitter");
    Objects.requireNonNull(idleEvictAfter, "idleEvictAfter");
  }
}
