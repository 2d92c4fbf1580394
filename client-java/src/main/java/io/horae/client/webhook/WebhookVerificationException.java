package io.horae.client.webhook;

import java.util.Objects;

/**
 * A webhook delivery that failed verification; answer it with HTTP 400 or 401 and do not act on it.
 *
 * <p>The message names the reason and, where useful, the header; it never contains a secret or a
 * signature. Instances are immutable.
 */
public final class WebhookVerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why verification failed. */
  public enum Reason {
    /** {@code webhook-id}, {@code webhook-timestamp} or {@code webhook-signature} is absent. */
    MISSING_HEADER,
    /** A header is present but malformed, repeated or too long. */
    MALFORMED_HEADER,
    /** The timestamp is older than the tolerance allows: possibly a replay. */
    TIMESTAMP_TOO_OLD,
    /** The timestamp is further in the future than the tolerance allows. */
    TIMESTAMP_TOO_NEW,
    /** No listed {@code v1} signature matches any configured secret. */
    NO_MATCHING_SIGNATURE
  }

  private final Reason reason;

  WebhookVerificationException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Returns why verification failed. */
  public Reason reason() {
    return reason;
  }
}
