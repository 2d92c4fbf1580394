package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * History retention (docs/executions.md, Retention): finished executions older than their
 * namespace's time to live are removed by the leader in bounded batches.
 *
 * @param historyTtl how long a finished execution (SUCCEEDED, CANCELLED, SKIPPED) is kept, for
 *     namespaces without their own; zero keeps history forever (a job's keep_last still applies)
 * @param namespaceTtl per-namespace times to live, overriding historyTtl
 * @param sweepInterval how often the leader proposes a removal batch (sooner while batches come
 *     back full)
 * @param batchMax most executions one removal op removes
 */
public record RetentionConfig(
    Duration historyTtl, NamespaceDurations namespaceTtl, Duration sweepInterval, int batchMax) {
  public static final Duration HISTORY_TTL_DEFAULT = Duration.ofDays(7);
  public static final Duration SWEEP_INTERVAL_DEFAULT = Duration.ofMinutes(1);
  public static final int BATCH_MAX_DEFAULT = 1_000;

  public RetentionConfig {
    Objects.requireNonNull(historyTtl, "historyTtl");
    Objects.requireNonNull(namespaceTtl, "namespaceTtl");
    Objects.requireNonNull(sweepInterval, "sweepInterval");
  }

  /** The defaults: 7 days for every namespace, a batch of 1,000 a minute. */
  public static RetentionConfig defaults() {
    return new RetentionConfig(
        HISTORY_TTL_DEFAULT, NamespaceDurations.NONE, SWEEP_INTERVAL_DEFAULT, BATCH_MAX_DEFAULT);
  }
}
