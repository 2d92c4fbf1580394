package io.horae.statemachine.core;

/**
 * Marks an exception as a failure of the storage under the state (a read or write that did not
 * happen), not of an op's content: apply stops the node on it instead of rejecting the op, since
 * another replica's storage did not fail and rejecting here would make the replicas diverge.
 */
public interface StorageFault {}
