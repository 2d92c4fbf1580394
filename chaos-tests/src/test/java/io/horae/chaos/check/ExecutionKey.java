package io.horae.chaos.check;

/**
 * What identifies an execution independently of the key it was sent with: the job
 * ({@code namespace/name}) and the scheduled time. Its string form is the execution id
 * {@code namespace/name@scheduledMs}.
 */
public record ExecutionKey(String job, long scheduledMs) implements Comparable<ExecutionKey> {
  /** Parses an execution id {@code namespace/name@scheduledMs}. */
  public static ExecutionKey parse(String executionId) {
    int at = executionId == null ? -1 : executionId.lastIndexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("not an execution id ns/name@scheduledMs: " + executionId);
    }
    try {
      return new ExecutionKey(executionId.substring(0, at), Long.parseLong(executionId.substring(at + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not an execution id ns/name@scheduledMs: " + executionId, e);
    }
  }

  /** The job part of an execution id or idempotency key: everything before the last '@'. */
  public static String jobOf(String executionId) {
    int at = executionId.lastIndexOf('@');
    return at < 0 ? executionId : executionId.substring(0, at);
  }

  @Override
  public int compareTo(ExecutionKey o) {
    int c = job.compareTo(o.job);
    return c != 0 ? c : Long.compare(scheduledMs, o.scheduledMs);
  }

  @Override
  public String toString() {
    return job + "@" + scheduledMs;
  }
}
