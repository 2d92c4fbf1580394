package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the admin HTTP port (/health/*, /metrics), so that slow or greedy clients cannot freeze
 * it (docs/security.md, "The admin port under slow clients").
 *
 * @param connectionsMax connections the port serves at once: reading a request, answering it, or
 *     writing the answer, each on its own virtual thread. One more is closed at once, without an
 *     answer. A connection that has sent nothing yet, or waits between keep-alive requests, holds
 *     no slot and no thread.
 * @param requestTimeout deadline of one request, from its first byte (the TLS handshake included)
 *     to the last byte of the answer; a request still incomplete then is cut (its connection
 *     closed). It bounds how long a client that dribbles its headers, or never reads its answer,
 *     holds a slot.
 */
public record AdminConfig(int connectionsMax, Duration requestTimeout) {
  public static final int CONNECTIONS_MAX_DEFAULT = 64;
  public static final Duration REQUEST_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

  public static final AdminConfig DEFAULTS =
      new AdminConfig(CONNECTIONS_MAX_DEFAULT, REQUEST_TIMEOUT_DEFAULT);

  public AdminConfig {
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (connectionsMax < 1) {
      throw new IllegalArgumentException(
          "admin.connectionsMax must be at least 1, got " + connectionsMax);
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(
          "admin.requestTimeout must be positive, got " + requestTimeout);
    }
  }
}
