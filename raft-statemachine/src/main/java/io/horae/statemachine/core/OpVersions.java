package io.horae.statemachine.core;

import io.horae.internal.v1.Op;

/**
 * Which apply version first knew each op kind. A node proposes an op kind only once every voting
 * member reported an apply version at least that new, so a node that does not know the op never
 * meets it in the log during a rolling upgrade (docs/architecture.md, "Apply versions").
 *
 * <p>Version 1 is every op kind before issue 13; version 2 added UpdateJob, TriggerJob and
 * ExpireHistory; version 3 added the request id of DeleteJob, UpdateJob and TriggerJob (an older
 * node would apply such an op without recording its result, and answer a repeat otherwise). A new
 * op kind, or a new field that changes what apply does, raises {@link #CURRENT} and is listed here.
 */
public final class OpVersions {
  /** The apply version of this build: it knows every op kind up to this one. */
  public static final int CURRENT = 3;

  /** The oldest version: what a node that reports none, or has not reported yet, counts as. */
  public static final int OLDEST = 1;

  private OpVersions() {}

  /** The request id of a delete, update or manual run is applied from this version on. */
  public static final int REQUEST_IDS = 3;

  /** The apply version an op needs on every member, its fields included. */
  public static int required(Op op) {
    boolean requestId =
        switch (op.getKindCase()) {
          case DELETE_JOB -> !op.getDeleteJob().getRequestId().isEmpty();
          case UPDATE_JOB -> !op.getUpdateJob().getRequestId().isEmpty();
          case TRIGGER_JOB -> !op.getTriggerJob().getRequestId().isEmpty();
          default -> false;
        };
    return requestId ? REQUEST_IDS : required(op.getKindCase());
  }

  /** The apply version an op kind needs on every member. */
  public static int required(Op.KindCase kind) {
    return switch (kind) {
      case UPDATE_JOB, TRIGGER_JOB, EXPIRE_HISTORY -> 2;
      default -> OLDEST;
    };
  }

  /** A reported version as it counts: 0 (not sent) is the oldest. */
  public static int effective(int reported) {
    return Math.max(OLDEST, reported);
  }
}
