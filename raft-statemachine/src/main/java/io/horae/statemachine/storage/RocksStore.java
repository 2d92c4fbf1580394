package io.horae.statemachine.storage;

import io.horae.internal.v1.Command;
import io.horae.statemachine.core.Applied;
import io.horae.statemachine.core.Applier;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica's RocksDB. Each applied entry is one WriteBatch holding the state changes and the new
 * last-applied term/index together, so a restart neither loses nor re-applies an entry. Writes are
 * not fsynced: the Raft log is fsynced before an entry commits, and entries after the stored
 * applied index are replayed from it (DESIGN §11).
 *
 * <p>Thread safety: reads may run concurrently with one applier thread. {@link #restoreFrom} and
 * {@link #close} take the write side of {@link #lock}, so no read touches a closed native handle.
 */
public final class RocksStore implements StoreReader, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RocksStore.class);

  /** Memtable size per column family; six families, three nodes per test JVM. */
  static final long WRITE_BUFFER_BYTES = 16L * 1024 * 1024;

  /**
   * Bloom filter bits per key in every table file (about 1 % false positives). Apply and the owners
   * read by whole key (a job, an execution, a request record, a usage counter), and most reads of a
   * create look for a key that is not there: without a filter each such read searched every level.
   */
  static final double BLOOM_BITS_PER_KEY = 10;

  /** The block cache when none is configured: RocksDB's own 8 MiB (docs/storage.md). */
  public static final long BLOCK_CACHE_BYTES_DEFAULT = 8L * 1024 * 1024;

  // No memtable bloom filter: with one (1 % of the memtable) the skip-list searches in a steady
  // run's apply fell by what the filter's own checks cost (docs/storage.md).

  static {
    RocksNative.load();
  }

  private final Path dir;

  /** Guards db and handles: read side for use, write side for close and restore. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  private DBOptions dbOptions;
  private ColumnFamilyOptions cfOptions;
  private BloomFilter tableFilter;
  private LRUCache blockCache;
  private final long blockCacheBytes;
  private final WriteOptions writeOptions = new WriteOptions();

  /**
   * No request record expires before it (apply thread only; {@link Long#MIN_VALUE}: unknown): what
   * the last committed entry's apply learned, so that a create skips the expiry seek that would
   * find nothing. Forgotten when the database is opened or replaced.
   */
  private long requestExpiryFloorMs = Long.MIN_VALUE;

  /** Which rarely written families are empty (apply thread; replaced when the db is). */
  EmptyFamilies emptyFamilies = new EmptyFamilies();

  private RocksDB db;
  private Map<Family, ColumnFamilyHandle> handles;
  private volatile long appliedTerm;
  private volatile long appliedIndex;

  /**
   * The last digest computed and the applied index it covers. Every state change advances the
   * applied index in the same batch, so equal index means equal state; a restore clears it (under
   * the write lock, so no digest of the replaced database can be stored after the clear).
   */
  private volatile Digest lastDigest;

  /** Full scans made for digests; tests read it. */
  final java.util.concurrent.atomic.AtomicLong digestScans =
      new java.util.concurrent.atomic.AtomicLong();

  /** Runs between staging a snapshot install and the swap; tests throw from it to cut one short. */
  volatile Runnable installStaged = () -> {};

  private RocksStore(Path dir, long blockCacheBytes) {
    if (blockCacheBytes <= 0) {
      throw new IllegalArgumentException("blockCacheBytes must be positive: " + blockCacheBytes);
    }
    this.dir = dir;
    this.blockCacheBytes = blockCacheBytes;
  }

  /** Opens (or creates) the store in {@code dir} with the default block cache. */
  public static RocksStore open(Path dir) {
    return open(dir, BLOCK_CACHE_BYTES_DEFAULT);
  }

  /**
   * Opens (or creates) the store in {@code dir}.
   *
   * @param blockCacheBytes the capacity of the block cache all column families share ({@code
   *     storage.blockCacheBytes})
   */
  public static RocksStore open(Path dir, long blockCacheBytes) {
    RocksStore store = new RocksStore(dir, blockCacheBytes);
    store.openDb();
    return store;
  }

  /** The block cache's capacity in bytes, as RocksDB reports it. */
  public long blockCacheCapacity() {
    return longProperty("rocksdb.block-cache-capacity", false);
  }

  /**
   * A RocksDB integer property: summed over the column families when {@code perFamily}, else the
   * database's own; a {@link StorageException} when unknown or the store is closed.
   */
  public long longProperty(String name, boolean perFamily) {
    lock.readLock().lock();
    try {
      if (db == null) {
        throw new StorageException("the store is closed", null);
      }
      if (!perFamily) {
        return Long.parseLong(db.getProperty(name).trim());
      }
      // Read as text per family (the store's families; the default one stays empty): RocksDB
      // aggregates only some integer properties itself.
      long sum = 0;
      for (ColumnFamilyHandle h : handles.values()) {
        sum += Long.parseLong(db.getProperty(h, name).trim());
      }
      return sum;
    } catch (RocksDBException | NumberFormatException e) {
      throw new StorageException("cannot read " + name, e);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void openDb() {
    requestExpiryFloorMs = Long.MIN_VALUE; // a new or restored store: nothing known yet
    emptyFamilies = new EmptyFamilies();
    try {
      StoreFiles.recoverInstall(dir);
      Files.createDirectories(dir);
      dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      tableFilter = new BloomFilter(BLOOM_BITS_PER_KEY);
      blockCache = new LRUCache(blockCacheBytes);
      cfOptions =
          new ColumnFamilyOptions()
              .setWriteBufferSize(WRITE_BUFFER_BYTES)
              .setTableFormatConfig(
                  new BlockBasedTableConfig()
                      .setFilterPolicy(tableFilter)
                      .setBlockCache(blockCache));
      List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
      descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
      for (Family f : Family.values()) {
        descriptors.add(new ColumnFamilyDescriptor(Keys.utf8(f.columnName()), cfOptions));
      }
      List<ColumnFamilyHandle> opened = new ArrayList<>();
      db = RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
      handles = new EnumMap<>(Family.class);
      for (Family f : Family.values()) {
        handles.put(f, opened.get(f.ordinal() + 1));
      }
      byte[] applied = db.get(handles.get(Family.META), Keys.META_APPLIED);
      if (applied != null) {
        ByteBuffer b = ByteBuffer.wrap(applied);
        appliedTerm = b.getLong();
        appliedIndex = b.getLong();
        StoreSchema.upgrade(db, handles, writeOptions);
      } else {
        appliedTerm = 0;
        appliedIndex = 0;
        StoreSchema.stampCurrent(db, handles);
      }
      LOG.info(
          "store opened dir={} appliedTerm={} appliedIndex={}", dir, appliedTerm, appliedIndex);
    } catch (RocksDBException | IOException e) {
      throw new StorageException("cannot open RocksDB at " + dir, e);
    }
  }

  public long appliedTerm() {
    return appliedTerm;
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  public Path dir() {
    return dir;
  }

  /**
   * Applies the entry at (term, index) unless it was applied before (a replay after restart), in
   * which case it returns null and changes nothing.
   */
  public Applied apply(long term, long index, Command command) {
    return apply(term, index, command, tx -> tx);
  }

  /**
   * {@link #apply(long, long, Command)} with the transaction seen through {@code view} (tests
   * inject faults).
   */
  Applied apply(
      long term,
      long index,
      Command command,
      java.util.function.UnaryOperator<io.horae.statemachine.core.Tx> view) {
    lock.readLock().lock();
    try {
      if (index <= appliedIndex) {
        return null;
      }
      try (RocksTx tx = new RocksTx(db, handles, emptyFamilies)) {
        Applied applied = Applier.apply(view.apply(tx), command, term, requestExpiryFloorMs);
        tx.put(
            Family.META,
            Keys.META_APPLIED,
            ByteBuffer.allocate(16).putLong(term).putLong(index).array());
        db.write(writeOptions, tx.batch());
        emptyFamilies.written(tx.written());
        appliedTerm = term;
        appliedIndex = index;
        requestExpiryFloorMs = applied.requestExpiryFloorMs();
        return applied;
      } catch (RocksDBException e) {
        throw new StorageException("cannot write entry term=" + term + " index=" + index, e);
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Records that entries up to index carried no state change (e.g. Raft configuration entries). */
  public void advanceApplied(long term, long index) {
    apply(term, index, Command.getDefaultInstance());
  }

  @Override
  public byte[] get(Family family, byte[] key) {
    lock.readLock().lock();
    try {
      return db.get(handles.get(family), key);
    } catch (RocksDBException e) {
      throw new StorageException("read " + family + " failed", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void scan(
      Family family, byte[] fromInclusive, byte[] toExclusive, int limit, EntryVisitor visitor) {
    lock.readLock().lock();
    try {
      RangeScan.visit(
          db, handles.get(family), null, null, fromInclusive, toExclusive, limit, visitor);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Writes every family's memtable to disk and waits for it; writes go on meanwhile. A checkpoint
   * right after it has little left to flush.
   */
  public void flush() {
    lock.readLock().lock();
    try (org.rocksdb.FlushOptions options = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
      db.flush(options, new ArrayList<>(handles.values()));
    } catch (RocksDBException e) {
      throw new StorageException("cannot flush", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Writes a consistent copy of the database into {@code target}, which must not exist. */
  public void checkpoint(Path target) {
    lock.readLock().lock();
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new StorageException("cannot checkpoint into " + target, e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Replaces the whole database with the files of a checkpoint (a snapshot install), atomically:
   * the copy is staged and fsynced beside the database while it stays open, then swapped in by
   * renames ({@link StoreFiles}). A failure before the swap leaves the old database open and in
   * use; a crash at any point leaves the old database or the new one, and the next open cleans up.
   */
  public void restoreFrom(Path checkpointDir) {
    Path staged;
    try {
      staged = StoreFiles.stage(checkpointDir, dir);
      installStaged.run();
    } catch (IOException | RuntimeException e) {
      try {
        StoreFiles.deleteTree(StoreFiles.staged(dir));
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw new StorageException(
          "cannot stage a restore of "
              + dir
              + " from "
              + checkpointDir
              + "; the old database stays",
          e);
    }
    lock.writeLock().lock();
    try {
      closeDb();
      lastDigest = null;
      StoreFiles.swap(staged, dir);
      openDb();
    } catch (IOException e) {
      // Open whatever is whole again (the old database, unless the swap finished), so the error
      // reaches Ratis from a store that still answers; the node stops on it anyway.
      try {
        openDb();
      } catch (RuntimeException reopen) {
        e.addSuppressed(reopen);
      }
      throw new StorageException("cannot restore " + dir + " from " + checkpointDir, e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** SHA-256 over every family's keys and values, the applied index excluded. */
  public byte[] digest() {
    return consistentDigest().sha256();
  }

  /** A replica's digest and the index of the last entry it covers. */
  public record Digest(long appliedIndex, byte[] sha256) {}

  /**
   * The digest of one consistent view of the replica (a RocksDB snapshot), with the applied index
   * of that same view: two replicas at the same index must have the same digest, even while entries
   * are being applied. A second call at the same applied index answers from the last digest without
   * scanning the store again (a full scan of a large store takes seconds).
   */
  public Digest consistentDigest() {
    lock.readLock().lock();
    org.rocksdb.Snapshot snapshot = db.getSnapshot();
    try (ReadOptions ro = new ReadOptions().setSnapshot(snapshot)) {
      StoreReader view =
          new StoreReader() {
            @Override
            public byte[] get(Family family, byte[] key) {
              try {
                return db.get(handles.get(family), ro, key);
              } catch (RocksDBException e) {
                throw new StorageException("read " + family + " failed", e);
              }
            }

            @Override
            public void scan(
                Family family,
                byte[] fromInclusive,
                byte[] toExclusive,
                int limit,
                EntryVisitor visitor) {
              RangeScan.visit(
                  db, handles.get(family), ro, null, fromInclusive, toExclusive, limit, visitor);
            }
          };
      byte[] applied = view.get(Family.META, Keys.META_APPLIED);
      long index = applied == null ? 0 : ByteBuffer.wrap(applied).getLong(8);
      Digest last = lastDigest;
      if (last == null || last.appliedIndex() != index) {
        digestScans.incrementAndGet();
        last = new Digest(index, StateDigest.of(view));
        lastDigest = last;
      }
      // A copy: the cached array must not be changed by a caller.
      return new Digest(index, last.sha256().clone());
    } finally {
      db.releaseSnapshot(snapshot);
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      closeDb();
      writeOptions.close();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void closeDb() {
    if (db == null) {
      return;
    }
    handles.values().forEach(ColumnFamilyHandle::close);
    try {
      db.syncWal();
    } catch (RocksDBException e) {
      LOG.warn("WAL sync on close failed dir={}", dir, e);
    }
    db.close();
    dbOptions.close();
    cfOptions.close();
    tableFilter.close();
    blockCache.close();
    db = null;
  }
}
