package io.horae.statemachine.storage;

import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Tx;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

/**
 * One apply's transaction: writes go to an indexed batch, reads see the batch over the database, so
 * later ops of a group-committed entry see the writes of earlier ones.
 */
final class RocksTx implements Tx, AutoCloseable {
  private final RocksDB db;
  private final Map<Family, ColumnFamilyHandle> handles;
  private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
  private final ReadOptions readOptions = new ReadOptions();
  private final EmptyFamilies empty;

  /** Families this transaction wrote to (a rolled-back write counts: its scans stay real). */
  private final Set<Family> written = EnumSet.noneOf(Family.class);

  RocksTx(RocksDB db, Map<Family, ColumnFamilyHandle> handles, EmptyFamilies empty) {
    this.db = db;
    this.handles = handles;
    this.empty = empty;
  }

  Set<Family> written() {
    return written;
  }

  WriteBatchWithIndex batch() {
    return batch;
  }

  @Override
  public byte[] get(Family family, byte[] key) {
    try {
      return batch.getFromBatchAndDB(db, handles.get(family), readOptions, key);
    } catch (RocksDBException e) {
      throw new StorageException("read " + family + " failed", e);
    }
  }

  @Override
  public void scan(
      Family family, byte[] fromInclusive, byte[] toExclusive, int limit, EntryVisitor visitor) {
    if (!written.contains(family) && empty.committedEmpty(db, handles, family)) {
      return; // nothing committed and nothing written here: no key to visit
    }
    RangeScan.visit(
        db, handles.get(family), readOptions, batch, fromInclusive, toExclusive, limit, visitor);
  }

  @Override
  public void put(Family family, byte[] key, byte[] value) {
    written.add(family);
    try {
      batch.put(handles.get(family), key, value);
    } catch (RocksDBException e) {
      throw new StorageException("write " + family + " failed", e);
    }
  }

  @Override
  public void delete(Family family, byte[] key) {
    written.add(family);
    try {
      batch.delete(handles.get(family), key);
    } catch (RocksDBException e) {
      throw new StorageException("delete " + family + " failed", e);
    }
  }

  @Override
  public void savepoint() {
    batch.setSavePoint();
  }

  @Override
  public void rollbackToSavepoint() {
    try {
      batch.rollbackToSavePoint();
    } catch (RocksDBException e) {
      throw new StorageException("rollback of an op's writes failed", e);
    }
  }

  @Override
  public void releaseSavepoint() {
    try {
      batch.popSavePoint();
    } catch (RocksDBException e) {
      throw new StorageException("release of a savepoint failed", e);
    }
  }

  @Override
  public void close() {
    readOptions.close();
    batch.close();
  }
}
