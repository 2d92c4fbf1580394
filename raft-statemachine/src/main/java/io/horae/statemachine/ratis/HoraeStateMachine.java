package io.horae.statemachine.ratis;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.CommandResult;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.QueryResult;
import io.horae.statemachine.core.Applied;
import io.horae.statemachine.core.ExecutionQueries;
import io.horae.statemachine.core.Queries;
import io.horae.statemachine.core.SecretOps;
import io.horae.statemachine.storage.RocksStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of one node: applies entries synchronously on Ratis' applier thread into
 * the node's {@link RocksStore}, takes snapshots as RocksDB checkpoints and restores from an
 * installed one. Reads ({@link #query}) run on the caller's thread against the same store.
 */
public final class HoraeStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(HoraeStateMachine.class);

  private final Path dbDir;
  private final long blockCacheBytes;
  private final ApplyListener listener;
  private final CheckpointStorage storage = new CheckpointStorage();
  private volatile RocksStore store;
  private final java.util.concurrent.atomic.AtomicLong restores =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * A snapshot's checkpoint flushes RocksDB's memtables, and Ratis takes it on the apply thread:
   * with full memtables apply stopped for about a second on every node at once (they all reach the
   * threshold together), and so did every delivery, since a node whose apply lags fires nothing
   * (docs/bench.md, "Snapshots stalled apply"). So when the log is {@link
   * #PRE_FLUSH_LEAD_DIVISOR}th of the way short of the next automatic snapshot, this thread flushes
   * them beforehand, off the apply thread; the checkpoint then has only the entries applied since
   * to flush.
   */
  private final java.util.concurrent.ExecutorService flusher =
      java.util.concurrent.Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().name("horae-snapshot-flush").daemon().unstarted(r));

  private final java.util.concurrent.atomic.AtomicLong preFlushes =
      new java.util.concurrent.atomic.AtomicLong();

  /** The pre-flush starts this fraction of the snapshot interval before a snapshot is due. */
  static final long PRE_FLUSH_LEAD_DIVISOR = 10;

  /** Ratis' automatic snapshot interval in entries; 0 when automatic snapshots are off. */
  private long snapshotEvery;

  /** Index of the latest snapshot (0: none); only the updater thread uses it. */
  private volatile long snapshotBase;

  /** The snapshot base for which a pre-flush was started; only the updater thread uses it. */
  private volatile long preFlushedFor = -1;

  /** The store opens in dbDir, its block cache blockCacheBytes (storage.blockCacheBytes). */
  public HoraeStateMachine(Path dbDir, long blockCacheBytes, ApplyListener listener) {
    this.dbDir = dbDir;
    this.blockCacheBytes = blockCacheBytes;
    this.listener = listener;
  }

  /**
   * The highest log index Ratis has handed to this state machine since it started (or reloaded), or
   * -1. Only the updater thread writes it; takeSnapshot runs on that thread too.
   */
  private volatile long handedUpTo = -1;

  /** The answer to an entry that changes nothing (already applied). */
  private static final Message EMPTY_RESULT =
      toMessage(CommandResult.getDefaultInstance().toByteArray());

  /** Entries replayed since the start that the store already held; only the updater writes it. */
  private volatile long replayedCount;

  /** Log entries Ratis handed this state machine since it started that the store already held. */
  public long replayedEntries() {
    return replayedCount;
  }

  /**
   * An entry the store already holds: counted, and logged when the replay starts and when it
   * reaches the store's index (the lines' times tell how long a restart's replay took).
   */
  private void replayed(long index) {
    handedUpTo = Math.max(handedUpTo, index);
    if (replayedCount++ == 0) {
      LOG.info(
          "replaying log entries the store already holds, from index {} to {}",
          index,
          store.appliedIndex());
    }
    if (index == store.appliedIndex()) {
      LOG.info(
          "replayed {} log entries the store already held, up to index {}", replayedCount, index);
    }
  }

  /**
   * The highest log index handed to this state machine since it started, replayed entries included,
   * or -1 (see {@link #handedUpTo}).
   */
  public long handedIndex() {
    return handedUpTo;
  }

  /** A pause in ms before each entry is applied; a fault hook's (a slow disk), else none. */
  private volatile java.util.function.LongSupplier applyDelayMillis = () -> 0;

  /**
   * Makes every later entry wait {@code delayMillis} before it is applied: a slow disk, for the
   * node's fault hooks (storage.faultHooks). When an entry is applied changes; what it does does
   * not.
   */
  public void slowApply(java.util.function.LongSupplier delayMillis) {
    this.applyDelayMillis = delayMillis;
  }

  /** Pre-flushes done ahead of automatic snapshots (see {@link #flusher}). */
  public long preFlushes() {
    return preFlushes.get();
  }

  /** The local replica; valid after Ratis initialized this state machine. */
  public RocksStore store() {
    return store;
  }

  /** How often this state machine replaced its store from a snapshot since it was created. */
  public long restores() {
    return restores.get();
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    getLifeCycle()
        .startAndTransition(
            () -> {
              storage.init(raftStorage);
              store = RocksStore.open(dbDir, blockCacheBytes);
              restoreIfBehindSnapshot();
              snapshotIfAhead();
              setLastAppliedTermIndex(TermIndex.valueOf(store.appliedTerm(), store.appliedIndex()));
              // Ratis resumes applying after its latest snapshot: the store's index, unless the
              // store holds nothing or the checkpoint at open failed (then Ratis replays what the
              // store holds, and applyTransaction skips it).
              SnapshotInfo latest = storage.getLatestSnapshot();
              handedUpTo = latest == null ? -1 : latest.getIndex();
              snapshotBase = Math.max(0, handedUpTo);
              snapshotEvery =
                  org.apache.ratis.server.RaftServerConfigKeys.Snapshot.autoTriggerEnabled(
                          server.getProperties())
                      ? org.apache.ratis.server.RaftServerConfigKeys.Snapshot.autoTriggerThreshold(
                          server.getProperties())
                      : 0;
            },
            IOException.class);
  }

  /**
   * Ratis pauses the state machine before it installs a snapshot and reloads (it asserts PAUSED).
   */
  @Override
  public void pause() {
    if (getLifeCycle().getCurrentState() == LifeCycle.State.RUNNING) {
      getLifeCycle().transition(LifeCycle.State.PAUSING);
      getLifeCycle().transition(LifeCycle.State.PAUSED);
    }
  }

  /** Called after Ratis installed a snapshot from the leader into the state-machine directory. */
  @Override
  public void reinitialize() throws IOException {
    getLifeCycle()
        .startAndTransition(
            () -> {
              storage.reload();
              restoreIfBehindSnapshot();
              setLastAppliedTermIndex(TermIndex.valueOf(store.appliedTerm(), store.appliedIndex()));
              handedUpTo = store.appliedIndex();
              snapshotBase = handedUpTo;
            },
            IOException.class);
    listener.onRestored(store.appliedIndex());
  }

  /**
   * A store past the latest snapshot becomes the latest snapshot, before Ratis opens its log. Ratis
   * resumes applying after its latest snapshot: it read back every entry since then from its log
   * files only for this state machine to skip it (up to raft.snapshotEveryEntries; 5,600 entries
   * took 4.2 s of a restart under load on a cold JVM, docs/failover.md). The checkpoint is a real
   * one at the store's own index, so it serves a snapshot install like any other.
   */
  private void snapshotIfAhead() {
    long index = store.appliedIndex();
    SnapshotInfo latest = storage.getLatestSnapshot();
    if (index <= 0 || (latest != null && latest.getIndex() >= index)) {
      return;
    }
    TermIndex at = TermIndex.valueOf(store.appliedTerm(), index);
    LOG.info(
        "the store is past the latest snapshot ({}): snapshot at the store's index {}",
        latest == null ? "none" : latest.getIndex(),
        index);
    try {
      storage.write(store, at);
    } catch (IOException | RuntimeException e) {
      // A full disk, say: the node still starts, and Ratis replays what the store holds. A
      // tmp directory left behind is never offered, and the next snapshot replaces it.
      LOG.warn("no snapshot at the store's index {}; the log is replayed instead", index, e);
    }
  }

  private void restoreIfBehindSnapshot() {
    SnapshotInfo latest = storage.getLatestSnapshot();
    if (latest != null && latest.getIndex() > store.appliedIndex()) {
      LOG.info(
          "restoring store from snapshot index={} storeIndex={} dir={}",
          latest.getIndex(),
          store.appliedIndex(),
          storage.latestDir());
      store.restoreFrom(storage.latestDir());
      restores.incrementAndGet();
      if (store.appliedIndex() != latest.getIndex()) {
        throw new IllegalStateException(
            "snapshot "
                + storage.latestDir()
                + " holds applied index "
                + store.appliedIndex()
                + ", expected "
                + latest.getIndex());
      }
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    long term = entry.getTerm();
    long index = entry.getIndex();
    if (index <= store.appliedIndex()) {
      // Already in the store. A restart starts Ratis at the store's index (snapshotIfAhead), so
      // this is the rare case of a snapshot that could not be written then; answered before the
      // entry is parsed. The applied index must not go back.
      replayed(index);
      return CompletableFuture.completedFuture(EMPTY_RESULT);
    }
    Command command;
    try {
      // On the leader, the transaction still holds what startTransaction parsed from the same
      // bytes; followers (and a leader replaying its log) parse the entry.
      command =
          trx.getStateMachineContext() instanceof Command parsed
              ? parsed
              : Command.parseFrom(
                  entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      // startTransaction rejects what does not parse, so this entry came from a broken proposer
      // or a corrupt log: stop rather than diverge. Thrown, not a failed future: Ratis logs a
      // failed future and goes on with the next entry, but closes the server on a throw.
      throw new IllegalStateException(
          "entry term=" + term + " index=" + index + " does not parse", e);
    }
    handedUpTo = Math.max(handedUpTo, index);
    long delay = applyDelayMillis.getAsLong();
    if (delay > 0) {
      try {
        Thread.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Applied applied;
    try {
      applied = store.apply(term, index, command);
    } catch (RuntimeException e) {
      // A storage failure or an op kind this build does not know: Ratis closes the server.
      LOG.error("stopping: cannot apply entry term={} index={}", term, index, e);
      throw e;
    }
    if (applied == null) {
      // Applied meanwhile (the check above raced a restore): nothing changes.
      return CompletableFuture.completedFuture(EMPTY_RESULT);
    }
    updateLastAppliedTermIndex(term, index);
    preFlushBeforeSnapshot(index);
    for (RuntimeException fault : applied.faults()) {
      LOG.error(
          "an op of entry term={} index={} failed while applied; it was rejected on every replica and changed nothing",
          term,
          index,
          fault);
    }
    listener.onApplied(index, applied);
    return CompletableFuture.completedFuture(toMessage(applied.result().toByteArray()));
  }

  @Override
  public void notifyLogFailed(
      Throwable cause, org.apache.ratis.proto.RaftProtos.LogEntryProto failedEntry) {
    LOG.error(
        "the Raft log failed at entry {}",
        failedEntry == null ? "(segment)" : failedEntry.getIndex(),
        cause);
    listener.onLogFailed(cause);
  }

  @Override
  public TransactionContext startTransaction(org.apache.ratis.protocol.RaftClientRequest request)
      throws IOException {
    Command command;
    try {
      command = Command.parseFrom(request.getMessage().getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("rejected a command that does not parse", e);
    }
    // Kept for applyTransaction on this leader: one parse of each command instead of two.
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setStateMachineContext(command)
        .build();
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    // Raft configuration and leader no-op entries: no state change, but keep the store's applied
    // index equal to Ratis' so snapshots and restarts agree on where the state stands.
    handedUpTo = Math.max(handedUpTo, index);
    if (index <= store.appliedIndex()) {
      return; // A replay after a crash (see applyTransaction): the store is already past it.
    }
    store.advanceApplied(term, index);
    super.notifyTermIndexUpdated(term, index);
  }

  /** Starts the pre-flush (see {@link #flusher}) once per snapshot interval. */
  private void preFlushBeforeSnapshot(long index) {
    if (snapshotEvery <= 0
        || preFlushedFor == snapshotBase
        || index - snapshotBase < snapshotEvery - snapshotEvery / PRE_FLUSH_LEAD_DIVISOR) {
      return;
    }
    preFlushedFor = snapshotBase;
    RocksStore s = store;
    try {
      flusher.execute(
          () -> {
            try {
              s.flush();
              preFlushes.incrementAndGet();
            } catch (RuntimeException e) {
              // The checkpoint flushes anyway; this one only makes it shorter.
              LOG.warn("flush before a snapshot failed", e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // Closing: no snapshot follows.
    }
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() <= 0 || handedUpTo < last.getIndex()) {
      // Still replaying after a restart: Ratis has not reached the store's index yet, and a
      // snapshot past Ratis' applied index is refused. Ratis asks again later.
      return -1;
    }
    Path dir = storage.dirFor(last);
    if (Files.exists(dir)) {
      snapshotBase = last.getIndex();
      return last.getIndex();
    }
    // Two lines, so their timestamps tell how long apply waited (Ratis takes the snapshot on the
    // updater thread) without this module reading a clock.
    LOG.info("taking snapshot term={} index={}", last.getTerm(), last.getIndex());
    storage.write(store, last);
    LOG.info("snapshot taken term={} index={} dir={}", last.getTerm(), last.getIndex(), dir);
    snapshotBase = last.getIndex();
    return last.getIndex();
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    try {
      Query q = Query.parseFrom(request.getContent().asReadOnlyByteBuffer());
      QueryResult result =
          switch (q.getKindCase()) {
            case GET_JOB ->
                Queries.getJob(store, q.getGetJob().getNamespace(), q.getGetJob().getName());
            case LIST_JOBS -> Queries.listJobs(store, q.getListJobs());
            case SHARD_MAP -> Queries.shardMap(store);
            case GET_EXECUTION -> ExecutionQueries.get(store, q.getGetExecution().getId());
            case LIST_EXECUTIONS -> ExecutionQueries.list(store, q.getListExecutions());
            case LIST_DEAD -> Queries.listDead(store, q.getListDead());
            case GET_SIGNING_SECRETS -> SecretOps.get(store, q.getGetSigningSecrets());
            case KIND_NOT_SET -> throw new IllegalArgumentException("empty query");
          };
      return CompletableFuture.completedFuture(toMessage(result.toByteArray()));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public void close() throws IOException {
    listener.onClosed();
    flusher.shutdownNow();
    getLifeCycle()
        .checkStateAndClose(
            () -> {
              RocksStore s = store;
              if (s != null) {
                s.close();
              }
            });
  }

  private static Message toMessage(byte[] bytes) {
    ByteString content = UnsafeByteOperations.unsafeWrap(bytes);
    return Message.valueOf(content);
  }
}
