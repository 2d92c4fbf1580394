package io.horae.server.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a principal may do (issue 12, docs/security.md "Roles"). The namespace roles hold per
 * namespace pattern; {@code cluster-admin} holds for the cluster (membership, leadership,
 * snapshots, digests) and grants nothing in a namespace.
 */
public enum Role {
  /** Read jobs, executions and dead letters of a namespace. */
  READER("reader", true),
  /** Everything a reader may, and create, change, cancel, replay and purge. */
  WRITER("writer", true),
  /** Rotate and list a namespace's signing secrets. */
  SECRETS("secrets", true),
  /** Add, remove and lead members, take snapshots, read state digests. */
  CLUSTER_ADMIN("cluster-admin", false);

  private final String wireName;
  private final boolean perNamespace;

  Role(String wireName, boolean perNamespace) {
    this.wireName = wireName;
    this.perNamespace = perNamespace;
  }

  /** The name used in token files and error messages. */
  public String wireName() {
    return wireName;
  }

  public boolean perNamespace() {
    return perNamespace;
  }

  public static Optional<Role> named(String name) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(name)).findFirst();
  }

  /** Whether holding {@code this} grants {@code wanted} (a writer may read). */
  boolean grants(Role wanted) {
    return this == wanted || (this == WRITER && wanted == READER);
  }
}
