package io.horae.statemachine.core;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.horae.api.v1.Execution;
import io.horae.api.v1.Job;
import io.horae.internal.v1.RequestRecord;
import io.horae.internal.v1.ShardMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Typed reads and writes of the replicated state over one {@link Tx}. */
public final class State {
  private final Tx tx;

  /** Executions written through this State, in write order; apply is single-threaded. */
  private final List<ExecutionChange> executionChanges = new ArrayList<>();

  /** Null until first read; only this State writes the map while it lives. */
  private Optional<ShardMap> shardMap;

  public State(Tx tx) {
    this.tx = tx;
  }

  public Optional<Job> job(String namespace, String name) {
    return read(Family.JOBS, Keys.job(namespace, name), Job.parser());
  }

  public void putJob(Job job) {
    tx.put(Family.JOBS, Keys.job(job.getNamespace(), job.getName()), job.toByteArray());
  }

  public void deleteJob(String namespace, String name) {
    tx.delete(Family.JOBS, Keys.job(namespace, name));
  }

  public Optional<Execution> execution(String executionId) {
    return read(Family.EXECUTIONS, Keys.execution(executionId), Execution.parser());
  }

  /**
   * Writes an execution and keeps its job's live index and the history index in step: a live one is
   * in the live index, a SUCCEEDED, CANCELLED or SKIPPED one in the history index under its finish
   * time (a finished execution is written once with its finish time, never again unless it is
   * removed, so the history entry never needs moving).
   */
  public void putExecution(Execution execution) {
    tx.put(Family.EXECUTIONS, Keys.execution(execution.getId()), execution.toByteArray());
    index(execution);
    executionChanges.add(new ExecutionChange(execution, false));
  }

  /**
   * Writes an execution that did not exist before (a job's next occurrence). A record of the same
   * id left by an earlier job of the same name (deleted, then created again) is replaced, and its
   * history entry goes with it.
   */
  public void createExecution(Execution execution) {
    execution(execution.getId()).ifPresent(this::unindex);
    tx.put(Family.EXECUTIONS, Keys.execution(execution.getId()), execution.toByteArray());
    index(execution);
    executionChanges.add(new ExecutionChange(execution, true));
  }

  /** The ids of a job's live executions (bounded: a job has few), in id order. */
  public List<String> liveExecutionIds(String namespace, String name, int max) {
    List<String> ids = new ArrayList<>();
    byte[] prefix = Keys.liveOf(namespace, name);
    tx.scan(
        Family.LIVE,
        prefix,
        Keys.prefixEnd(prefix),
        max,
        (k, v) -> ids.add(Keys.liveExecutionId(k)));
    return ids;
  }

  private void index(Execution e) {
    ExecutionIndexes.put(tx, e);
  }

  private void unindex(Execution e) {
    ExecutionIndexes.remove(tx, e);
  }

  /** Marks the writes so far; {@link #rollback} undoes the ones after it (one op's, on a fault). */
  int mark() {
    tx.savepoint();
    return executionChanges.size();
  }

  /** Keeps the writes since {@code mark}. */
  void keep() {
    tx.releaseSavepoint();
  }

  /** Undoes every write since {@code mark}, with what this State remembered of them. */
  void rollback(int mark) {
    tx.rollbackToSavepoint();
    executionChanges.subList(mark, executionChanges.size()).clear();
    shardMap = null;
  }

  /** Every execution written so far through this State, in write order. */
  public List<ExecutionChange> executionChanges() {
    return executionChanges;
  }

  /** Makes the execution visible to its shard owner's scan at its due time. */
  public void putDue(Execution execution) {
    tx.put(
        Family.DUE,
        Keys.due(execution.getShard(), execution.getDueMs(), execution.getId()),
        new byte[] {(byte) execution.getPriority()});
  }

  public void deleteDue(Execution execution) {
    tx.delete(Family.DUE, Keys.due(execution.getShard(), execution.getDueMs(), execution.getId()));
  }

  public void putDead(Execution execution) {
    tx.put(
        Family.DEAD,
        Keys.dead(execution.getNamespace(), execution.getFinishedMs(), execution.getId()),
        execution.toByteArray());
  }

  public void deleteDead(Execution execution) {
    tx.delete(
        Family.DEAD,
        Keys.dead(execution.getNamespace(), execution.getFinishedMs(), execution.getId()));
  }

  /**
   * Removes an execution record for good (a purged dead letter, expired history) with its index
   * entries; watchers are not told.
   */
  public void deleteExecution(Execution execution) {
    unindex(execution);
    tx.delete(Family.EXECUTIONS, Keys.execution(execution.getId()));
  }

  /**
   * The shard map, parsed once per State (one Raft entry of up to hundreds of ops) and kept in step
   * by {@link #putShardMap}: parsing it for every op was 10 % of a node's CPU in the bench.
   */
  public Optional<ShardMap> shardMap() {
    if (shardMap == null) {
      shardMap = read(Family.META, Keys.META_SHARD_MAP, ShardMap.parser());
    }
    return shardMap;
  }

  public void putShardMap(ShardMap map) {
    tx.put(Family.META, Keys.META_SHARD_MAP, map.toByteArray());
    shardMap = Optional.of(map);
  }

  public Optional<io.horae.internal.v1.Members> members() {
    return read(Family.META, Keys.META_MEMBERS, io.horae.internal.v1.Members.parser());
  }

  public void putMembers(io.horae.internal.v1.Members members) {
    tx.put(Family.META, Keys.META_MEMBERS, members.toByteArray());
  }

  public Optional<RequestRecord> request(String namespace, String requestId) {
    return read(Family.REQUESTS, Keys.request(namespace, requestId), RequestRecord.parser());
  }

  public void putRequest(String namespace, String requestId, RequestRecord record) {
    tx.put(Family.REQUESTS, Keys.request(namespace, requestId), record.toByteArray());
    tx.put(
        Family.REQUESTS,
        Keys.requestExpiry(record.getExpiresMs(), namespace, requestId),
        new byte[0]);
  }

  /**
   * Removes up to {@code max} request records that expired at or before nowMs, oldest first, with
   * their index entries. A record re-written after expiry has a later expiry and is kept.
   *
   * @return how many index entries were removed
   */
  public int expireRequests(long nowMs, int max) {
    List<byte[]> expired = new ArrayList<>(max);
    tx.scan(
        Family.REQUESTS,
        Keys.requestExpiryStart(),
        Keys.requestExpiryAfter(nowMs),
        max,
        (k, v) -> expired.add(k));
    for (byte[] indexKey : expired) {
      byte[] recordKey = Keys.requestOfExpiry(indexKey);
      Optional<RequestRecord> record = read(Family.REQUESTS, recordKey, RequestRecord.parser());
      if (record.isPresent() && record.get().getExpiresMs() == Keys.requestExpiryMillis(indexKey)) {
        tx.delete(Family.REQUESTS, recordKey);
      }
      tx.delete(Family.REQUESTS, indexKey);
    }
    return expired.size();
  }

  public Tx tx() {
    return tx;
  }

  private <T extends MessageLite> Optional<T> read(Family family, byte[] key, Parser<T> parser) {
    byte[] bytes = tx.get(family, key);
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(parser.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      // A record we wrote ourselves does not parse: the replica is corrupt. Stop loudly.
      throw new CorruptStateException(family + " record does not parse", e);
    }
  }
}
