package io.horae.statemachine.core;

/**
 * Execution ids: {@code <namespace>/<name>@<scheduledEpochMillis>}. The id is the idempotency key
 * sent to the target; it depends only on the job and the scheduled time, so every node that ever
 * delivers an occurrence derives the same id.
 */
public final class ExecutionIds {
  private ExecutionIds() {}

  public static String jobKey(String namespace, String name) {
    return namespace + "/" + name;
  }

  public static String of(String namespace, String name, long scheduledMillis) {
    return jobKey(namespace, name) + "@" + scheduledMillis;
  }

  /**
   * A manual run ("run now") at runMillis: {@code <job>@<runMillis>.m}. It sorts right after a
   * scheduled occurrence of the same millisecond and never equals one.
   */
  public static String manual(String namespace, String name, long runMillis) {
    return of(namespace, name, runMillis) + ".m";
  }

  /** Prefix shared by every execution id of one job. */
  public static String prefixOf(String namespace, String name) {
    return jobKey(namespace, name) + "@";
  }
}
