package io.horae.client.webhook;

/**
 * Names of the HTTP headers a Horae webhook delivery carries. Header names are case-insensitive.
 */
public final class WebhookHeaders {
  /** The message id; it is part of the signed content. */
  public static final String ID = "webhook-id";

  /** When the delivery was signed, in whole Unix seconds; part of the signed content. */
  public static final String TIMESTAMP = "webhook-timestamp";

  /** Space-separated {@code v1,<base64 HMAC-SHA256>} entries, one per signing secret. */
  public static final String SIGNATURE = "webhook-signature";

  /** The execution id; the same on every attempt of one execution, so receivers can dedup on it. */
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private WebhookHeaders() {}
}
