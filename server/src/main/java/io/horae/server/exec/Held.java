package io.horae.server.exec;

import io.horae.api.v1.Job;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.util.Optional;

/**
 * An execution this node fires now, as its record stood when the call was prepared. {@code attempt}
 * is the number of the attempt this node makes; {@code shardEpoch} is the epoch of the shard's
 * tenure under which it fires.
 */
record Held(
    String executionId,
    String namespace,
    String jobName,
    long scheduledMs,
    long dueMs,
    int attempt,
    int shard,
    long shardEpoch) {

  /** The execution's job as the local replica has it now; empty once the job was deleted. */
  Optional<Job> readJob(StoreReader store) {
    byte[] bytes = store.get(Family.JOBS, Keys.job(namespace, jobName));
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Job.parseFrom(bytes));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "job " + ExecutionIds.jobKey(namespace, jobName) + " does not parse", e);
    }
  }
}
