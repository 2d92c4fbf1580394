package io.horae.server.admin;

import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether this node should receive traffic, and if not, why: {@code GET /health/ready} answers 200
 * while {@link #notReadyBecause} is empty and 503 with the reason otherwise, so that an operator
 * (or a test whose cluster never became ready) sees which condition failed without the node's log.
 */
@FunctionalInterface
public interface Readiness {
  /**
   * Empty while the node is ready; otherwise why it is not, in words an operator can act on. Called
   * on the exchanges' threads: cheap, thread-safe, and free of secrets (the endpoint needs no
   * token).
   */
  Optional<String> notReadyBecause();

  /** A readiness that gives no reason. */
  static Readiness of(BooleanSupplier ready) {
    return () -> ready.getAsBoolean() ? Optional.empty() : Optional.of("no reason given");
  }
}
