package io.horae.statemachine.core;

import io.horae.internal.v1.CommandResult;
import java.util.List;

/**
 * What applying one log entry produced: the per-op results for the proposer, and effects for the
 * local shell (the executor rescans when due work or ownership changed; watchers and the executor
 * see every execution the entry wrote, in write order), and the errors of ops rejected with
 * REJECT_APPLY_FAULT, for the shell to log.
 */
public record Applied(
    CommandResult result,
    boolean dueChanged,
    boolean shardMapChanged,
    List<ExecutionChange> executions,
    List<RuntimeException> faults,
    long requestExpiryFloorMs) {
  public Applied {
    executions = List.copyOf(executions);
    faults = List.copyOf(faults);
  }

  public Applied(CommandResult result, boolean dueChanged, boolean shardMapChanged) {
    this(result, dueChanged, shardMapChanged, List.of(), List.of(), Long.MIN_VALUE);
  }
}
