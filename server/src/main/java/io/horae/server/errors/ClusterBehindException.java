package io.horae.server.errors;

import java.time.Duration;

/**
 * A create was shed at the edge (docs/delivery.md, "Admission"); nothing was proposed. Either a
 * shard owner is behind its due work ({@link #host} null: reason CLUSTER_BEHIND, naming the node),
 * or the executions for the job's target host wait for that host's permits (reason TARGET_BEHIND,
 * naming the host). Answered RESOURCE_EXHAUSTED with a RetryInfo.
 */
public final class ClusterBehindException extends RuntimeException {
  private final String nodeId;
  private final String host;
  private final long behindMs;
  private final Duration retryAfter;

  private ClusterBehindException(
      String message, String nodeId, String host, long behindMs, Duration retryAfter) {
    super(message);
    this.nodeId = nodeId;
    this.host = host;
    this.behindMs = behindMs;
    this.retryAfter = retryAfter;
  }

  /** Node {@code nodeId} is {@code behindMs} behind its due work. */
  public static ClusterBehindException owner(String nodeId, long behindMs, Duration retryAfter) {
    return new ClusterBehindException(
        "the cluster is behind its due work (node "
            + nodeId
            + " by "
            + behindMs
            + " ms): creates are shed until it catches up (api.admissionLateness); retry later",
        nodeId,
        null,
        behindMs,
        retryAfter);
  }

  /** Executions for {@code host} have waited {@code behindMs} for one of its permits. */
  public static ClusterBehindException target(String host, long behindMs, Duration retryAfter) {
    return new ClusterBehindException(
        "deliveries to "
            + Echo.value(host)
            + " are "
            + behindMs
            + " ms behind, waiting for the host's permits (exec.maxRequestsPerHost): creates for"
            + " it are shed until they catch up (api.admissionLateness); retry later",
        null,
        host,
        behindMs,
        retryAfter);
  }

  /** The owner behind, or null when a target host is. */
  public String nodeId() {
    return nodeId;
  }

  /** The target host behind, or null when an owner is. */
  public String host() {
    return host;
  }

  public long behindMs() {
    return behindMs;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
