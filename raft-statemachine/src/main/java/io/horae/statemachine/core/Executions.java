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
   * Finished and kept as history until retention removes it (dead letters are not: the DLQ keeps
   * them).
   */
  public static boolean inHistory(Execution e) {
    return switch (e.getStatus()) {
      case EXECUTION_STATUS_SUCCEEDED, EXECUTION_STATUS_CANCELLED, EXECUTION_STATUS_SKIPPED -> true;
      default -> false;
    };
  }

  /**
   * The execution was made for an earlier job of the same name (since deleted): it was created
   * before the job it would otherwise belong to.
   */
  public static boolean ofEarlierJob(Execution e, io.horae.api.v1.Job job) {
    return e.getCreatedMs() < job.getCreateTimeMs();
  }

  /** An occurrence of the job's schedule (not a manual run): only these move the schedule. */
  public static boolean scheduled(Execution e) {
    return e.getTrigger() == io.horae.api.v1.ExecutionTrigger.EXECUTION_TRIGGER_UNSPECIFIED;
  }

  /** A job with more than one occurrence: an interval or a cron schedule. */
  public static boolean recurring(io.horae.api.v1.Job job) {
    return job.getSchedule().hasEvery() || job.getSchedule().hasCron();
  }

  /** {@code PENDING} for {@code EXECUTION_STATUS_PENDING}, and so on. */
  public static String statusName(ExecutionStatus status) {
    return status == ExecutionStatus.UNRECOGNIZED
        ? "UNKNOWN"
        : status.name().replaceFirst("^EXECUTION_STATUS_", "");
  }

  public static Execution parse(byte[] bytes) {
    try {
      return Execution.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptStateException("execution record does not parse", e);
    }
  }
}
