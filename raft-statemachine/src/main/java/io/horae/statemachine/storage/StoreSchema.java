package io.horae.statemachine.storage;

import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import java.nio.ByteBuffer;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The store's schema version, and bringing a store written by an older version up to date. */
final class StoreSchema {
  private static final Logger LOG = LoggerFactory.getLogger(StoreSchema.class);

  /**
   * 2: the live and history indexes exist; 3: each namespace's usage is counted. An older store is
   * brought up to date at open.
   */
  static final int SCHEMA_VERSION = 3;

  /** Executions indexed per write batch when a version-1 store is brought to version 2. */
  static final int INDEX_BUILD_BATCH = 10_000;

  private StoreSchema() {}

  /** Marks a new store as written at {@link #SCHEMA_VERSION}. */
  static void stampCurrent(RocksDB db, Map<Family, ColumnFamilyHandle> handles)
      throws RocksDBException {
    db.put(
        handles.get(Family.META),
        Keys.META_SCHEMA,
        ByteBuffer.allocate(4).putInt(SCHEMA_VERSION).array());
  }

  /**
   * Brings a store written by an older version to {@link #SCHEMA_VERSION}: version 1 had no live
   * and history indexes, so they are built from the executions, in bounded batches. Every replica
   * derives them from its own state the same way, so replicas stay identical.
   */
  static void upgrade(
      RocksDB db, Map<Family, ColumnFamilyHandle> handles, WriteOptions writeOptions)
      throws RocksDBException {
    byte[] raw = db.get(handles.get(Family.META), Keys.META_SCHEMA);
    int version = raw == null ? 1 : ByteBuffer.wrap(raw).getInt();
    if (version >= SCHEMA_VERSION) {
      return;
    }
    long indexed = 0;
    if (version < 2) {
      indexed = buildIndexes(db, handles, writeOptions);
    }
    long namespaces = countUsage(db, handles, writeOptions);
    stampCurrent(db, handles);
    LOG.info(
        "store schema {} -> {}: indexed {} executions, counted the usage of {} namespaces",
        version,
        SCHEMA_VERSION,
        indexed,
        namespaces);
  }

  /** Schema 2: the live and history indexes, built from the executions in bounded batches. */
  private static long buildIndexes(
      RocksDB db, Map<Family, ColumnFamilyHandle> handles, WriteOptions writeOptions)
      throws RocksDBException {
    long indexed = 0;
    try (RocksIterator it = db.newIterator(handles.get(Family.EXECUTIONS))) {
      it.seekToFirst();
      while (it.isValid()) {
        try (RocksTx tx = new RocksTx(db, handles, new EmptyFamilies())) {
          for (int n = 0; n < INDEX_BUILD_BATCH && it.isValid(); n++, it.next()) {
            io.horae.statemachine.core.ExecutionIndexes.put(
                tx, io.horae.statemachine.core.Executions.parse(it.value()));
            indexed++;
          }
          db.write(writeOptions, tx.batch());
        }
      }
    }
    return indexed;
  }

  /**
   * Schema 3: each namespace's jobs and live executions (NamespaceUsage), counted from the jobs and
   * the live index and written over whatever the index build counted. Every replica counts its own
   * state the same way, so replicas stay identical.
   */
  private static long countUsage(
      RocksDB db, Map<Family, ColumnFamilyHandle> handles, WriteOptions writeOptions)
      throws RocksDBException {
    java.util.Map<String, long[]> counts = new java.util.TreeMap<>();
    try (RocksIterator it = db.newIterator(handles.get(Family.JOBS))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        counts.computeIfAbsent(Keys.jobNamespace(it.key()), k -> new long[2])[0]++;
      }
    }
    try (RocksIterator it = db.newIterator(handles.get(Family.LIVE))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        counts.computeIfAbsent(Keys.liveNamespace(it.key()), k -> new long[2])[1]++;
      }
    }
    try (org.rocksdb.WriteBatch batch = new org.rocksdb.WriteBatch()) {
      for (var e : counts.entrySet()) {
        io.horae.internal.v1.NamespaceUsage u =
            io.horae.internal.v1.NamespaceUsage.newBuilder()
                .setJobs(e.getValue()[0])
                .setPending(e.getValue()[1])
                .build();
        batch.put(handles.get(Family.META), Keys.nsUsage(e.getKey()), u.toByteArray());
      }
      db.write(writeOptions, batch);
    }
    return counts.size();
  }
}
