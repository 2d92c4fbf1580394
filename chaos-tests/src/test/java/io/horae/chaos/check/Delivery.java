package io.horae.chaos.check;

/**
 * One request the receiver got, as logged in {@code deliveries.csv}. Optional columns are null when
 * the log predates them or the header was missing.
 *
 * @param scheduledMs the scheduled time parsed from the idempotency key
 * @param attempt the X-Horae-Attempt header (attempt number), or null
 * @param node the X-Horae-Node header: the sending node
 * @param attemptTimeMs X-Horae-Attempt-Time: the sender's clock just before sending
 * @param scheduledHeaderMs X-Horae-Scheduled-Time, independent of the key
 * @param status the HTTP status the receiver answered
 */
public record Delivery(
    long receivedMs,
    long scheduledMs,
    String idempotencyKey,
    Integer attempt,
    String node,
    Long attemptTimeMs,
    Long scheduledHeaderMs,
    Integer status) {
  /** The job part of the key. */
  public String job() {
    return ExecutionKey.jobOf(idempotencyKey);
  }

  /**
   * The execution this request is for, by job and scheduled time rather than by key: the
   * X-Horae-Scheduled-Time header when logged, else the time in the key.
   */
  public ExecutionKey execution() {
    return new ExecutionKey(
        job(),
        scheduledHeaderMs != null ? scheduledHeaderMs : scheduledMs,
        ExecutionKey.suffixOf(idempotencyKey));
  }

  /** When the attempt started: the sender's stamp, else the arrival time. */
  public long startMs() {
    return attemptTimeMs != null ? attemptTimeMs : receivedMs;
  }

  /** Whether the receiver took it (2xx, or not logged): a later copy is then a duplicate. */
  public boolean accepted() {
    return status == null || (status >= 200 && status < 300);
  }

  @Override
  public String toString() {
    return idempotencyKey
        + " attempt "
        + attempt
        + " from "
        + node
        + " started "
        + startMs()
        + (attemptTimeMs == null ? " (received)" : "")
        + " status "
        + status;
  }
}
