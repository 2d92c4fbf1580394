package io.horae.statemachine.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;

/** Small facts about executions shared by the appliers and the shell. */
public final class Executions {
  private Executions() {}

  /** Not yet finished: it still has a due entry. */
  public static boolean isLive(Execution e) {
    return switch (e.getStatus()) {
      case EXECUTION_STATUS_PENDING, EXECUTION_STATUS_CLAIMED, EXECUTION_STATUS_RETRY_WAIT -> true;
      default -> false;
    };
  }

  /**
   * Whether {@code node} may take this execution now: it waits for an attempt, or its claim was
   * made under an earlier tenure of the shard, or the claim expired, or the claim is the node's
   * own (a restarted node takes back what it held; a second delivery then carries the same key).
   */
  public static boolean claimable(Execution e, long nowMs, long shardEpoch, String node) {
    if (e.getStatus() == ExecutionStatus.EXECUTION_STATUS_PENDING
        || e.getStatus() == ExecutionStatus.EXECUTION_STATUS_RETRY_WAIT) {
      return true;
    }
    return e.getStatus() == ExecutionStatus.EXECUTION_STATUS_CLAIMED
        && (e.getClaimExpiryMs() <= nowMs
            || e.getClaimEpoch() < shardEpoch
            || e.getClaimNode().equals(node));
  }

  /** A job with more than one occurrence: an interval or a cron schedule. */
  public static boolean recurring(io.horae.api.v1.Job job) {
    return job.getSchedule().hasEvery() || job.getSchedule().hasCron();
  }

  /** {@code PENDING} for {@code EXECUTION_STATUS_PENDING}, and so on. */
  public static String statusName(ExecutionStatus status) {
    return status == ExecutionStatus.UNRECOGNIZED ? "UNKNOWN" : status.name().replaceFirst("^EXECUTION_STATUS_", "");
  }

  public static Execution parse(byte[] bytes) {
    try {
      return Execution.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptStateException("execution record does not parse", e);
    }
  }
}
