package io.horae.statemachine.core;

import io.horae.api.v1.Execution;

/**
 * The two indexes kept beside the executions: {@link Family#LIVE} (a job's live executions) and
 * {@link Family#HISTORY} (finished ones by finish time). Shared by apply ({@link State}) and the
 * storage's one-time build of the indexes for a store written before they existed. Each live entry
 * gained or lost moves its namespace's live count ({@link NamespaceUsages}).
 */
public final class ExecutionIndexes {
  private static final byte[] EMPTY = new byte[0];

  private ExecutionIndexes() {}

  /** Puts the entries that describe {@code e} as it is now (and drops a stale live entry). */
  public static void put(Tx tx, Execution e) {
    byte[] live = Keys.live(e.getNamespace(), e.getJobName(), e.getId());
    put(tx, e, live, tx.get(Family.LIVE, live) != null);
  }

  /**
   * {@link #put} for an execution none of whose entries exist (a new one): no read of the live
   * index, which for every create looked for a key that was not there (through the memtable and
   * each table file's filter).
   */
  static void putUnindexed(Tx tx, Execution e) {
    put(tx, e, Keys.live(e.getNamespace(), e.getJobName(), e.getId()), false);
  }

  /**
   * {@link #put} for a record replacing one whose liveness the caller knows: the live entry exists
   * exactly while the stored record is live, so it is not looked up.
   */
  static void replace(Tx tx, Execution e, boolean wasLive) {
    put(tx, e, Keys.live(e.getNamespace(), e.getJobName(), e.getId()), wasLive);
  }

  private static void put(Tx tx, Execution e, byte[] live, boolean wasLive) {
    if (Executions.isLive(e)) {
      if (!wasLive) {
        tx.put(Family.LIVE, live, EMPTY);
        NamespaceUsages.add(tx, e.getNamespace(), 0, 1);
      }
      return;
    }
    if (wasLive) {
      tx.delete(Family.LIVE, live);
      NamespaceUsages.add(tx, e.getNamespace(), 0, -1);
    }
    if (Executions.inHistory(e)) {
      tx.put(Family.HISTORY, Keys.history(e.getNamespace(), e.getFinishedMs(), e.getId()), EMPTY);
    }
  }

  /** Drops the entries that describe {@code e}. */
  public static void remove(Tx tx, Execution e) {
    byte[] live = Keys.live(e.getNamespace(), e.getJobName(), e.getId());
    if (tx.get(Family.LIVE, live) != null) {
      tx.delete(Family.LIVE, live);
      NamespaceUsages.add(tx, e.getNamespace(), 0, -1);
    }
    if (Executions.inHistory(e)) {
      tx.delete(Family.HISTORY, Keys.history(e.getNamespace(), e.getFinishedMs(), e.getId()));
    }
  }
}
