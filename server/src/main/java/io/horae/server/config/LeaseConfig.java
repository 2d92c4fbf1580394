package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Liveness and shard leases (DESIGN §6 step 5; the timeline is in docs/failover.md).
 *
 * @param heartbeatInterval how often each node reports to the leader
 * @param duration how long an acknowledged report lets the node start deliveries, counted from when
 *     the node sent it
 * @param margin extra time the leader waits beyond a silent node's lease before moving its shards,
 *     covering clock-rate differences and a delivery being started at the lease's edge
 * @param unappliedPeekMax most committed entries a replica behind the index fence reads from its
 *     log to find that none of them cancels, pauses, deletes or updates anything, so that it may go
 *     on firing (0: never, the fence closes whenever the replica is behind; docs/failover.md)
 */
public record LeaseConfig(
    Duration heartbeatInterval, Duration duration, Duration margin, int unappliedPeekMax) {
  public static final Duration HEARTBEAT_INTERVAL_DEFAULT = Duration.ofMillis(250);
  public static final Duration DURATION_DEFAULT = Duration.ofMillis(750);
  public static final Duration MARGIN_DEFAULT = Duration.ofMillis(500);
  public static final int UNAPPLIED_PEEK_MAX_DEFAULT = 1024;

  public LeaseConfig {
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(margin, "margin");
  }

  /** How long the leader waits without a report before it moves a node's shards. */
  public Duration silenceBeforeMove() {
    return duration.plus(margin);
  }
}
