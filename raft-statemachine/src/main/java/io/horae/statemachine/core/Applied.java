package io.horae.statemachine.core;

import io.horae.internal.v1.CommandResult;

/**
 * What applying one log entry produced: the per-op results for the proposer, and effects for the
 * local shell (the executor rescans when due work or ownership changed).
 */
public record Applied(CommandResult result, boolean dueChanged, boolean shardMapChanged) {}
