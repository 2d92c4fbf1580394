package io.horae.statemachine.core;

/**
 * The column families of the replicated state (DESIGN §5). The order is part of the on-disk format.
 */
public enum Family {
  /** namespace · 0x00 · name → Job. */
  JOBS("jobs"),
  /** shard (u16) · dueMillis (u64) · executionId → priority. The owner's scan index. */
  DUE("due"),
  /** executionId → Execution: the idempotency log. */
  EXECUTIONS("executions"),
  /** namespace · 0x00 · deadAtMillis (u64) · executionId → Execution. */
  DEAD("dead"),
  /** namespace · 0x00 · request id → RequestRecord, for idempotent creates. */
  REQUESTS("requests"),
  /** Fixed keys: last applied term/index, shard map, schema version. */
  META("meta"),
  /**
   * namespace · 0x00 · name · 0x00 · executionId → empty: the live (PENDING, RETRY_WAIT) executions
   * of each job, so that a delete finds them without walking the job's history.
   */
  LIVE("live"),
  /**
   * namespace · 0x00 · finishedMillis (u64) · executionId → empty: finished executions (SUCCEEDED,
   * CANCELLED, SKIPPED) in the order they finished, for the history TTL.
   */
  HISTORY("history"),
  /**
   * namespace · 0x00 · job · 0x00 · follower → empty: the jobs that run after each success of a
   * job.
   */
  CHAINS("chains");

  private final String columnName;

  Family(String columnName) {
    this.columnName = columnName;
  }

  public String columnName() {
    return columnName;
  }
}
