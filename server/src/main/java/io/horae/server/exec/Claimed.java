package io.horae.server.exec;

/**
 * An execution in this node's window: reserved while its claim is proposed, then held until its
 * result is committed. {@code attempt} is the number of the attempt this node will make; {@code
 * shardEpoch} is the epoch of its shard's tenure under which it was claimed.
 */
record Claimed(
    String executionId, String namespace, String jobName, long scheduledMs, long dueMs, int attempt, int shard, long shardEpoch) {}
