package io.horae.server.config;

import java.util.Objects;

/**
 * Limits per namespace (docs/quotas.md): a node default for each, and overrides per namespace. 0
 * means no limit.
 *
 * @param jobsMax jobs a namespace may hold (any state); checked in apply, so cluster-wide
 * @param pendingMax live executions a namespace may hold; checked in apply when a create or a
 *     manual run would add one, so cluster-wide
 * @param createsPerSecond jobs created per second in a namespace through this node (a burst of one
 *     second's worth is allowed); each node counts its own calls
 * @param namespaces overrides per namespace
 */
public record QuotaConfig(
    long jobsMax, long pendingMax, long createsPerSecond, NamespaceQuotas namespaces) {
  public static final long JOBS_MAX_DEFAULT = 1_000_000;
  public static final long PENDING_MAX_DEFAULT = 1_000_000;

  /** Above what one node of a 2-core cluster can accept, so a single tenant is not held back. */
  public static final long CREATES_PER_SECOND_DEFAULT = 20_000;

  public static final QuotaConfig DEFAULTS =
      new QuotaConfig(
          JOBS_MAX_DEFAULT, PENDING_MAX_DEFAULT, CREATES_PER_SECOND_DEFAULT, NamespaceQuotas.NONE);

  public QuotaConfig {
    Objects.requireNonNull(namespaces, "namespaces");
  }

  /** The limits of one namespace: its overrides over the node defaults. */
  public Limits of(String namespace) {
    NamespaceQuotas.Override o = namespaces.byNamespace().get(namespace);
    if (o == null) {
      return new Limits(jobsMax, pendingMax, createsPerSecond);
    }
    return new Limits(
        o.jobsMax() != null ? o.jobsMax() : jobsMax,
        o.pendingMax() != null ? o.pendingMax() : pendingMax,
        o.createsPerSecond() != null ? o.createsPerSecond() : createsPerSecond);
  }

  /** One namespace's limits; 0 = none. */
  public record Limits(long jobsMax, long pendingMax, long createsPerSecond) {}
}
