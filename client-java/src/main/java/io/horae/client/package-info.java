/**
 * Java client for the Horae job scheduler.
 *
 * <p>Start with {@link io.horae.client.HoraeClient#builder()}. Calls throw unchecked {@link
 * io.horae.client.HoraeException}s (or one of its subclasses) that carry the gRPC status code and
 * the server's typed error details. Types under {@code io.horae.client.internal} are not part of
 * the API.
 */
package io.horae.client;
