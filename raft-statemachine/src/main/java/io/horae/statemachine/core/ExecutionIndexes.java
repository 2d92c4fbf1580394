package io.horae.statemachine.core;

import io.horae.api.v1.Execution;

/**
 * The two indexes kept beside the executions: {@link Family#LIVE} (a job's live executions) and
 * {@link Family#HISTORY} (finished ones by finish time). Shared by apply ({@link State}) and the
 * storage's one-time build of the indexes for a store written before they existed.
 */
public final class ExecutionIndexes {
  private static final byte[] EMPTY = new byte[0];

  private ExecutionIndexes() {}

  /** Puts the entries that describe {@code e} as it is now (and drops a stale live entry). */
  public static void put(Tx tx, Execution e) {
    byte[] live = Keys.live(e.getNamespace(), e.getJobName(), e.getId());
    if (Executions.isLive(e)) {
      tx.put(Family.LIVE, live, EMPTY);
      return;
    }
    tx.delete(Family.LIVE, live);
    if (Executions.inHistory(e)) {
      tx.put(Family.HISTORY, Keys.history(e.getNamespace(), e.getFinishedMs(), e.getId()), EMPTY);
    }
  }

  /** Drops the entries that describe {@code e}. */
  public static void remove(Tx tx, Execution e) {
    tx.delete(Family.LIVE, Keys.live(e.getNamespace(), e.getJobName(), e.getId()));
    if (Executions.inHistory(e)) {
      tx.delete(Family.HISTORY, Keys.history(e.getNamespace(), e.getFinishedMs(), e.getId()));
    }
  }
}
