package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Membership changes and cluster operations (docs/failover.md, "Membership").
 *
 * @param join start this node in join mode: it does not form a group from its peers list but waits
 *     until a member adds it ({@code horae cluster add-node}); ignored once it has Raft state
 * @param drainTimeout how long RemoveNode waits for the node's shards to move away before giving up
 *     (the node then stays a member, marked leaving; repeating the call continues)
 * @param changeTimeout deadline of one Raft configuration change, leadership transfer or snapshot,
 *     including the new node's catch-up
 */
public record MembershipConfig(boolean join, Duration drainTimeout, Duration changeTimeout) {
  public static final boolean JOIN_DEFAULT = false;
  public static final Duration DRAIN_TIMEOUT_DEFAULT = Duration.ofSeconds(60);
  public static final Duration CHANGE_TIMEOUT_DEFAULT = Duration.ofSeconds(60);

  public static final MembershipConfig DEFAULTS =
      new MembershipConfig(JOIN_DEFAULT, DRAIN_TIMEOUT_DEFAULT, CHANGE_TIMEOUT_DEFAULT);

  public MembershipConfig {
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    Objects.requireNonNull(changeTimeout, "changeTimeout");
  }
}
