package io.horae.statemachine.core;

import io.horae.internal.v1.CommandResult;
import java.util.List;

/**
 * What applying one log entry produced: the per-op results for the proposer, and effects for the
 * local shell (the executor rescans when due work or ownership changed; watchers and the executor
 * see every execution the entry wrote, in write order).
 */
public record Applied(
    CommandResult result, boolean dueChanged, boolean shardMapChanged, List<ExecutionChange> executions) {
  public Applied {
    executions = List.copyOf(executions);
  }

  public Applied(CommandResult result, boolean dueChanged, boolean shardMapChanged) {
    this(result, dueChanged, shardMapChanged, List.of());
  }
}
