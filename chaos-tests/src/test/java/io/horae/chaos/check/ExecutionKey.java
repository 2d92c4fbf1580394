package io.horae.chaos.check;

/**
 * What identifies an execution independently of the key it was sent with: the job ({@code
 * namespace/name}), the scheduled time and the kind suffix ("" for an occurrence of the schedule,
 * ".m" for a manual run, ".c" per chain link, as in {@code ns/B@1796186309787.m.c}). Its string
 * form is the execution id.
 */
public record ExecutionKey(String job, long scheduledMs, String suffix)
    implements Comparable<ExecutionKey> {
  public ExecutionKey {
    suffix = suffix == null ? "" : suffix;
  }

  /** An occurrence of the job's schedule. */
  public ExecutionKey(String job, long scheduledMs) {
    this(job, scheduledMs, "");
  }

  /** Parses an execution id {@code namespace/name@scheduledMs[.m][.c...]}. */
  public static ExecutionKey parse(String executionId) {
    int at = executionId == null ? -1 : executionId.lastIndexOf('@');
    if (at <= 0) {
      throw new IllegalArgumentException("not an execution id ns/name@scheduledMs: " + executionId);
    }
    String rest = executionId.substring(at + 1);
    int dot = rest.indexOf('.');
    try {
      return new ExecutionKey(
          executionId.substring(0, at),
          Long.parseLong(dot < 0 ? rest : rest.substring(0, dot)),
          dot < 0 ? "" : rest.substring(dot));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not an execution id ns/name@scheduledMs: " + executionId, e);
    }
  }

  /** The job part of an execution id or idempotency key: everything before the last '@'. */
  public static String jobOf(String executionId) {
    int at = executionId.lastIndexOf('@');
    return at < 0 ? executionId : executionId.substring(0, at);
  }

  /**
   * The kind suffix of an idempotency key: ".m", ".c", ".m.c", ... after the time; "" for a
   * scheduled occurrence and for any key of another form (a key the server should never send, which
   * the checks then compare with the execution's scheduled one).
   */
  public static String suffixOf(String key) {
    int at = key.lastIndexOf('@');
    java.util.regex.Matcher m = SUFFIXED.matcher(at < 0 ? "" : key.substring(at + 1));
    return m.matches() ? m.group(1) : "";
  }

  private static final java.util.regex.Pattern SUFFIXED =
      java.util.regex.Pattern.compile("[0-9]+((?:\\.m)?(?:\\.c)*)");

  /** An occurrence of the job's schedule (not a manual or chained run). */
  public boolean scheduled() {
    return suffix.isEmpty();
  }

  @Override
  public int compareTo(ExecutionKey o) {
    int c = job.compareTo(o.job);
    if (c != 0) {
      return c;
    }
    c = Long.compare(scheduledMs, o.scheduledMs);
    return c != 0 ? c : suffix.compareTo(o.suffix);
  }

  @Override
  public String toString() {
    return job + "@" + scheduledMs + suffix;
  }
}
