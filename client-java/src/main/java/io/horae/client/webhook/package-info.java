/**
 * Standard Webhooks signatures (<a
 * href="https://www.standardwebhooks.com">standardwebhooks.com</a>) for Horae deliveries, and
 * helpers for receivers.
 *
 * <p>Senders use {@link io.horae.client.webhook.WebhookSigner}; receivers use {@link
 * io.horae.client.webhook.WebhookVerifier} to check the {@code webhook-id}, {@code
 * webhook-timestamp} and {@code webhook-signature} headers, and {@link
 * io.horae.client.webhook.IdempotencyDedup} to drop repeated deliveries by {@code Idempotency-Key}.
 * This package uses the JDK only, so the server can sign with the same code receivers verify with.
 */
package io.horae.client.webhook;
