package io.horae.server.errors;

import java.time.Duration;

/**
 * A create was shed at the edge because a shard owner is behind its due work (docs/delivery.md,
 * "Admission"); nothing was proposed. Answered RESOURCE_EXHAUSTED with reason CLUSTER_BEHIND and a
 * RetryInfo.
 */
public final class ClusterBehindException extends RuntimeException {
  private final String nodeId;
  private final long behindMs;
  private final Duration retryAfter;

  public ClusterBehindException(String nodeId, long behindMs, Duration retryAfter) {
    super(
        "the cluster is behind its due work (node "
            + nodeId
            + " by "
            + behindMs
            + " ms): creates are shed until it catches up (api.admissionLateness); retry later");
    this.nodeId = nodeId;
    this.behindMs = behindMs;
    this.retryAfter = retryAfter;
  }

  public String nodeId() {
    return nodeId;
  }

  public long behindMs() {
    return behindMs;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
