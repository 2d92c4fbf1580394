package io.horae.server.errors;

import java.time.Duration;

/**
 * A namespace quota was reached at the edge; nothing was proposed. Answered RESOURCE_EXHAUSTED with
 * QuotaFailure and RetryInfo.
 */
public final class QuotaExceededException extends RuntimeException {
  private final String namespace;
  private final String quota;
  private final Duration retryAfter;

  public QuotaExceededException(
      String namespace, String quota, String message, Duration retryAfter) {
    super(message);
    this.namespace = namespace;
    this.quota = quota;
    this.retryAfter = retryAfter;
  }

  public String namespace() {
    return namespace;
  }

  /** Which quota: "jobs", "live executions" or "creates per second". */
  public String quota() {
    return quota;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
