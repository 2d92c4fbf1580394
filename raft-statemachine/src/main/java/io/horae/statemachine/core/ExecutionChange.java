package io.horae.statemachine.core;

import io.horae.api.v1.Execution;

/**
 * One execution written by an apply, as it stands after the write: an effect for the shell (the
 * watch streams, the executor's abort of cancelled work), never read back by apply.
 *
 * @param created true when the write made a new execution (a job's next occurrence)
 */
public record ExecutionChange(Execution execution, boolean created) {}
