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
