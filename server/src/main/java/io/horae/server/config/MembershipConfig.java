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
 * @param queueMax cluster operations that may wait on a node behind the running one; one more is
 *     refused with RESOURCE_EXHAUSTED
 * @param queueTimeout longest an operation may wait for its turn; one that waited longer is failed
 *     without being started
 */
public record MembershipConfig(
    @KeyName("node.join") boolean join,
    Duration drainTimeout,
    Duration changeTimeout,
    int queueMax,
    Duration queueTimeout) {
  public static final boolean JOIN_DEFAULT = false;
  public static final Duration DRAIN_TIMEOUT_DEFAULT = Duration.ofSeconds(60);
  public static final Duration CHANGE_TIMEOUT_DEFAULT = Duration.ofSeconds(60);

  /** Operators change membership by hand; a few waiting is plenty, more is a runaway script. */
  public static final int QUEUE_MAX_DEFAULT = 8;

  /** Room for one remove (drain and change) ahead, no more. */
  public static final Duration QUEUE_TIMEOUT_DEFAULT = Duration.ofMinutes(3);

  public static final MembershipConfig DEFAULTS =
      new MembershipConfig(
          JOIN_DEFAULT,
          DRAIN_TIMEOUT_DEFAULT,
          CHANGE_TIMEOUT_DEFAULT,
          QUEUE_MAX_DEFAULT,
          QUEUE_TIMEOUT_DEFAULT);

  public MembershipConfig {
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    Objects.requireNonNull(changeTimeout, "changeTimeout");
    Objects.requireNonNull(queueTimeout, "queueTimeout");
  }
}
