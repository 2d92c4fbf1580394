package io.horae.statemachine.storage;

import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Tx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * One apply's transaction: writes are kept here, by family in key order, until {@link #commit}
 * writes them as one WriteBatch; reads see them over the database, so later ops of a
 * group-committed entry see the writes of earlier ones.
 *
 * <p>The writes were once kept in RocksDB's WriteBatchWithIndex, whose index (a skip list in native
 * memory, one JNI call per write and per read) was 9 % of the nodes' CPU in a profile of batched
 * creates, on top of the memtable's own insert of the same keys (docs/bench.md, "The apply's writes
 * in Java"). Here a write is a TreeMap put, and only the last write of a key reaches the batch.
 */
final class RocksTx implements Tx, AutoCloseable {
  /** The value of a deleted key (compared by identity: no caller holds this array). */
  private static final byte[] DELETED = new byte[0];

  /** Marks a key the transaction had not written before, in the undo log. */
  private static final byte[] UNWRITTEN = new byte[0];

  private final RocksDB db;
  private final Map<Family, ColumnFamilyHandle> handles;
  private final ReadOptions readOptions = new ReadOptions();
  private final Map<Family, TreeMap<byte[], byte[]>> writes = new EnumMap<>(Family.class);

  /** What each write replaced, while a savepoint is open; undone in reverse by a rollback. */
  private final List<Undo> undo = new ArrayList<>();

  /** The undo log's size at each open savepoint, innermost last. */
  private int[] savepoints = new int[4];

  private int open;

  private record Undo(Family family, byte[] key, byte[] previous) {}

  RocksTx(RocksDB db, Map<Family, ColumnFamilyHandle> handles) {
    this.db = db;
    this.handles = handles;
  }

  @Override
  public byte[] get(Family family, byte[] key) {
    TreeMap<byte[], byte[]> written = writes.get(family);
    if (written != null) {
      byte[] value = written.get(key);
      if (value != null) {
        return value == DELETED ? null : value;
      }
    }
    try {
      return db.get(handles.get(family), readOptions, key);
    } catch (RocksDBException e) {
      throw new StorageException("read " + family + " failed", e);
    }
  }

  @Override
  public void scan(
      Family family, byte[] fromInclusive, byte[] toExclusive, int limit, EntryVisitor visitor) {
    if (toExclusive != null && Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0) {
      return;
    }
    TreeMap<byte[], byte[]> written = writes.get(family);
    Map<byte[], byte[]> overlay =
        written == null || written.isEmpty()
            ? Map.of()
            : toExclusive == null
                ? written.tailMap(fromInclusive, true)
                : written.subMap(fromInclusive, true, toExclusive, false);
    RangeScan.visit(
        db,
        handles.get(family),
        readOptions,
        overlay.isEmpty() ? null : overlay,
        DELETED,
        fromInclusive,
        toExclusive,
        limit,
        visitor);
  }

  @Override
  public void put(Family family, byte[] key, byte[] value) {
    write(family, key, value);
  }

  @Override
  public void delete(Family family, byte[] key) {
    write(family, key, DELETED);
  }

  private void write(Family family, byte[] key, byte[] value) {
    byte[] previous =
        writes.computeIfAbsent(family, f -> new TreeMap<>(Arrays::compareUnsigned)).put(key, value);
    if (open > 0) {
      undo.add(new Undo(family, key, previous == null ? UNWRITTEN : previous));
    }
  }

  @Override
  public void savepoint() {
    if (open == savepoints.length) {
      savepoints = Arrays.copyOf(savepoints, open * 2);
    }
    savepoints[open++] = undo.size();
  }

  @Override
  public void rollbackToSavepoint() {
    if (open == 0) {
      throw new StorageException("rollback of an op's writes failed: no savepoint", null);
    }
    int mark = savepoints[--open];
    for (int i = undo.size() - 1; i >= mark; i--) {
      Undo u = undo.get(i);
      TreeMap<byte[], byte[]> written = writes.get(u.family());
      if (u.previous() == UNWRITTEN) {
        written.remove(u.key());
      } else {
        written.put(u.key(), u.previous());
      }
    }
    undo.subList(mark, undo.size()).clear();
  }

  @Override
  public void releaseSavepoint() {
    if (open == 0) {
      throw new StorageException("release of a savepoint failed: no savepoint", null);
    }
    open--;
    if (open == 0) {
      undo.clear(); // Nothing can roll these back any more.
    }
  }

  /** Writes every write of the transaction in one batch, atomically. */
  void commit(WriteOptions options) throws RocksDBException {
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<Family, TreeMap<byte[], byte[]>> family : writes.entrySet()) {
        ColumnFamilyHandle cf = handles.get(family.getKey());
        for (Map.Entry<byte[], byte[]> w : family.getValue().entrySet()) {
          if (w.getValue() == DELETED) {
            batch.delete(cf, w.getKey());
          } else {
            batch.put(cf, w.getKey(), w.getValue());
          }
        }
      }
      db.write(options, batch);
    }
  }

  @Override
  public void close() {
    readOptions.close();
  }
}
