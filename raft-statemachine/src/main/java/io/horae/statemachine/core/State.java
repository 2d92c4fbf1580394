package io.horae.statemachine.core;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.horae.api.v1.Execution;
import io.horae.api.v1.Job;
import io.horae.internal.v1.RequestRecord;
import io.horae.internal.v1.ShardMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads and writes of the replicated state over one {@link Tx}.
 *
 * <p>Jobs are remembered while the State lives (one Raft entry) and written back once per op: a
 * delivered one-shot execution read its job four times and wrote it twice (its completion, then its
 * history count), and parsing and serializing jobs was a quarter of applying a batch of results
 * (issue 11, a profile of the burst). The memo only caches what the transaction holds: any other
 * read or write of the jobs' family through {@link #tx()} first writes back what is pending, so
 * does an op's end, and a rollback forgets both.
 */
public final class State {
  /** Most jobs one State remembers; past it the memo is written back and emptied. */
  static final int JOB_MEMO_MAX = 4_096;

  private record JobKey(String namespace, String name) {}

  private final Tx raw;

  /** {@link #raw} as ops see it: pending jobs are written before anything touches their family. */
  private final Tx tx;

  /** Jobs read or written through this State: the transaction's view of them. */
  private final Map<JobKey, Optional<Job>> jobs = new HashMap<>();

  /** Jobs put since the last write-back, in put order. */
  private final Map<JobKey, Job> unwritten = new LinkedHashMap<>();

  /** Meta records read or written through this State (usage counters above all). */
  private final MetaMemo meta;

  /** Executions written through this State, in write order; apply is single-threaded. */
  private final List<ExecutionChange> executionChanges = new ArrayList<>();

  /** Null until first read; only this State writes the map while it lives. */
  private Optional<ShardMap> shardMap;

  /**
   * No request record's expiry-index key is before this ({@link Long#MIN_VALUE}: nothing known).
   * Each create removes expired records; without it each create sought the index, and in a batched
   * create that seek, which found nothing, was a seventh of apply (issue 11's profile).
   */
  private long requestExpiryFloorMs;

  public State(Tx tx) {
    this(tx, Long.MIN_VALUE);
  }

  /**
   * @param requestExpiryFloorMs no request record of the store expires before it, or {@link
   *     Long#MIN_VALUE}
   */
  public State(Tx tx, long requestExpiryFloorMs) {
    this.raw = tx;
    this.meta = new MetaMemo(tx);
    this.tx = new WriteBack();
    this.requestExpiryFloorMs = requestExpiryFloorMs;
  }

  /** No request record expires before it, once this State's writes are committed. */
  public long requestExpiryFloorMs() {
    return requestExpiryFloorMs;
  }

  public Optional<Job> job(String namespace, String name) {
    JobKey key = new JobKey(namespace, name);
    Optional<Job> known = jobs.get(key);
    if (known == null) {
      known = parse(Family.JOBS, raw.get(Family.JOBS, Keys.job(namespace, name)), Job.parser());
      remember(key, known);
    }
    return known;
  }

  /** Written back at the op's end, or before anything else reads or writes the jobs' family. */
  public void putJob(Job job) {
    JobKey key = new JobKey(job.getNamespace(), job.getName());
    remember(key, Optional.of(job));
    unwritten.put(key, job);
  }

  public void deleteJob(String namespace, String name) {
    JobKey key = new JobKey(namespace, name);
    unwritten.remove(key);
    remember(key, Optional.empty());
    raw.delete(Family.JOBS, Keys.job(namespace, name));
  }

  private void remember(JobKey key, Optional<Job> job) {
    if (jobs.size() >= JOB_MEMO_MAX && !jobs.containsKey(key)) {
      writeBack();
      jobs.clear();
    }
    jobs.put(key, job);
  }

  /** Writes the pending jobs to the transaction, in put order. */
  private void writeBack() {
    if (unwritten.isEmpty()) {
      return;
    }
    for (Job job : unwritten.values()) {
      raw.put(Family.JOBS, Keys.job(job.getNamespace(), job.getName()), job.toByteArray());
    }
    unwritten.clear();
  }

  /** Forgets the memo and what is pending: the transaction was rolled back. */
  private void forgetJobs() {
    unwritten.clear();
    jobs.clear();
  }

  public Optional<Execution> execution(String executionId) {
    return read(Family.EXECUTIONS, Keys.execution(executionId), Execution.parser());
  }

  /**
   * Writes an execution and keeps its job's live index and the history index in step: a live one is
   * in the live index, a SUCCEEDED, CANCELLED or SKIPPED one in the history index under its finish
   * time (a finished execution is written once with its finish time, never again unless it is
   * removed, so the history entry never needs moving). {@code previous} is the record it replaces,
   * as read in this entry.
   */
  public void putExecution(Execution previous, Execution execution) {
    tx.put(Family.EXECUTIONS, Keys.execution(execution.getId()), execution.toByteArray());
    // The record being replaced was read by the caller in this entry, and a live entry exists
    // exactly while the stored record is live: no read of the live index (in a burst that read
    // was a third of the reads apply made per delivery).
    ExecutionIndexes.replace(tx, execution, Executions.isLive(previous));
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
    // No index entry of this id is left: there was no record, or unindex removed its entries.
    ExecutionIndexes.putUnindexed(tx, execution);
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

  private void unindex(Execution e) {
    ExecutionIndexes.remove(tx, e);
  }

  /** Marks the writes so far; {@link #rollback} undoes the ones after it (one op's, on a fault). */
  int mark() {
    tx.savepoint();
    return executionChanges.size();
  }

  /** Keeps the writes since {@code mark}, pending jobs included. */
  void keep() {
    tx.releaseSavepoint();
  }

  /** Undoes every write since {@code mark}, with what this State remembered of them. */
  void rollback(int mark) {
    tx.rollbackToSavepoint();
    requestExpiryFloorMs = Long.MIN_VALUE; // what the op removed is back
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
    requestExpiryFloorMs = Math.min(requestExpiryFloorMs, record.getExpiresMs());
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
    if (nowMs < requestExpiryFloorMs) {
      return 0; // the scan below would find nothing
    }
    List<byte[]> expired = new ArrayList<>(max);
    long[] firstLive = {Long.MAX_VALUE};
    // One key past the expired ones tells the floor: the first expiry after nowMs.
    tx.scan(
        Family.REQUESTS,
        Keys.requestExpiryStart(),
        Keys.requestExpiryEnd(),
        max + 1,
        (k, v) -> {
          long expires = Keys.requestExpiryMillis(k);
          if (expires > nowMs || expired.size() == max) {
            firstLive[0] = expires; // not expired yet, or more than this create removes
            return false;
          }
          expired.add(k);
          return true;
        });
    requestExpiryFloorMs = firstLive[0];
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
    return parse(family, tx.get(family, key), parser);
  }

  private static <T extends MessageLite> Optional<T> parse(
      Family family, byte[] bytes, Parser<T> parser) {
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

  /**
   * The transaction as ops see it: pending jobs are written before any other read or write of their
   * family and before a savepoint is taken or released; a rollback forgets them with the memo.
   * Point reads and writes of meta records go through their own memo, written back the same way.
   */
  private final class WriteBack implements Tx {
    @Override
    public byte[] get(Family family, byte[] key) {
      if (family == Family.META) {
        return meta.get(key);
      }
      touching(family);
      return raw.get(family, key);
    }

    @Override
    public void scan(
        Family family, byte[] fromInclusive, byte[] toExclusive, int limit, EntryVisitor visitor) {
      if (family == Family.META) {
        meta.writeBack();
      }
      touching(family);
      raw.scan(family, fromInclusive, toExclusive, limit, visitor);
    }

    @Override
    public void put(Family family, byte[] key, byte[] value) {
      if (family == Family.META) {
        meta.put(key, value);
        return;
      }
      if (touching(family)) {
        jobs.clear(); // written around the memo
      }
      raw.put(family, key, value);
    }

    @Override
    public void delete(Family family, byte[] key) {
      if (family == Family.META) {
        meta.delete(key);
        return;
      }
      if (touching(family)) {
        jobs.clear();
      }
      raw.delete(family, key);
    }

    @Override
    public void savepoint() {
      writeBack();
      meta.writeBack();
      raw.savepoint();
    }

    @Override
    public void rollbackToSavepoint() {
      forgetJobs();
      meta.forget();
      raw.rollbackToSavepoint();
    }

    @Override
    public void releaseSavepoint() {
      writeBack();
      meta.writeBack();
      raw.releaseSavepoint();
    }

    private boolean touching(Family family) {
      if (family != Family.JOBS) {
        return false;
      }
      writeBack();
      return true;
    }
  }
}
