package io.horae.statemachine.storage;

import io.horae.statemachine.core.StoreReader.EntryVisitor;
import java.util.Arrays;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatchWithIndex;

/** The one key-range walk behind every scan, over the store or over a transaction's view. */
final class RangeScan {
  private RangeScan() {}

  /**
   * Visits [fromInclusive, toExclusive) of a column family in unsigned byte order, at most limit
   * entries, through {@code base} (its snapshot, if any) and, when given, the writes of {@code
   * batch} over it.
   *
   * <p>The iterator is bounded above by {@code toExclusive}. Without the bound, a seek that finds
   * no live key in the range goes on skipping deleted keys past it until it meets a live one: the
   * owner's due scans ran one seek per shard many times a second, each walking every due entry
   * deleted since the last compaction in that shard and the shards after it (issue 11's profile:
   * the owner loop took more than half a core on a cluster with nothing due).
   */
  static void visit(
      RocksDB db,
      ColumnFamilyHandle cf,
      ReadOptions base,
      WriteBatchWithIndex batch,
      byte[] fromInclusive,
      byte[] toExclusive,
      int limit,
      EntryVisitor visitor) {
    try (Slice upper = toExclusive == null ? null : new Slice(toExclusive);
        ReadOptions ro = base == null ? new ReadOptions() : new ReadOptions(base)) {
      if (upper != null) {
        ro.setIterateUpperBound(upper);
      }
      try (RocksIterator it = db.newIterator(cf, ro);
          RocksIterator merged = batch == null ? null : batch.newIteratorWithBase(cf, it)) {
        visit(merged == null ? it : merged, fromInclusive, toExclusive, limit, visitor);
      }
    }
  }

  /** Visits [fromInclusive, toExclusive) in unsigned byte order, at most limit entries. */
  private static void visit(
      RocksIterator it, byte[] fromInclusive, byte[] toExclusive, int limit, EntryVisitor visitor) {
    int visited = 0;
    for (it.seek(fromInclusive); it.isValid() && visited < limit; it.next()) {
      byte[] key = it.key();
      // Also checked here: the batch's own writes are not bounded by the base iterator's bound.
      if (toExclusive != null && Arrays.compareUnsigned(key, toExclusive) >= 0) {
        return;
      }
      visited++;
      if (!visitor.visit(key, it.value())) {
        return;
      }
    }
  }
}
