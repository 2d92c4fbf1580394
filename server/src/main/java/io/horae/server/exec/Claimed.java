package io.horae.server.exec;

import io.horae.api.v1.Job;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.util.Optional;

/**
 * An execution in this node's window: reserved while its claim is proposed, then held until its
 * result is committed. {@code attempt} is the number of the attempt this node will make; {@code
 * shardEpoch} is the epoch of its shard's tenure under which it was claimed.
 */
record Claimed(
    String executionId, String namespace, String jobName, long scheduledMs, long dueMs, int attempt, int shard, long shardEpoch) {

  /** The execution's job as the local replica has it now; empty once the job was deleted. */
  Optional<Job> readJob(StoreReader store) {
    byte[] bytes = store.get(Family.JOBS, Keys.job(namespace, jobName));
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Job.parseFrom(bytes));
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("job " + ExecutionIds.jobKey(namespace, jobName) + " does not parse", e);
    }
  }
}
