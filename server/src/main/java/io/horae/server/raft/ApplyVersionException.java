package io.horae.server.raft;

import io.horae.internal.v1.Op;

/**
 * An op was not proposed: a voting member runs an apply version that does not know its kind, or its
 * version is not known yet (it has not reported since this node last heard from the leader).
 * Nothing was written.
 */
public final class ApplyVersionException extends RuntimeException {
  private final boolean unknown;

  ApplyVersionException(
      Op.KindCase kind, int required, String member, int memberVersion, boolean unknown) {
    super(
        unknown
            ? "cannot accept "
                + name(kind)
                + " yet: the apply version of member "
                + member
                + " is not known (it has not reported to the leader); it needs version "
                + required
                + " on every member; retry shortly"
            : name(kind)
                + " needs apply version "
                + required
                + " on every member, and member "
                + member
                + " runs version "
                + memberVersion
                + ": upgrade it first (docs/architecture.md, \"Apply versions\")");
    this.unknown = unknown;
  }

  /** True when a member's version is not known yet (worth a retry), false when it is too old. */
  public boolean unknown() {
    return unknown;
  }

  private static String name(Op.KindCase kind) {
    return switch (kind) {
      case UPDATE_JOB -> "UpdateJob";
      case TRIGGER_JOB -> "TriggerJob";
      case EXPIRE_HISTORY -> "ExpireHistory";
      default -> kind.name();
    };
  }
}
