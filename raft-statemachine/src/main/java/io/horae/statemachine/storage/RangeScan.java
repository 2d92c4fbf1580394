package io.horae.statemachine.storage;

import io.horae.statemachine.core.StoreReader.EntryVisitor;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/** The one key-range walk behind every scan, over the store or over a transaction's view. */
final class RangeScan {
  private RangeScan() {}

  /**
   * Visits [fromInclusive, toExclusive) of a column family in unsigned byte order, at most limit
   * entries, through {@code base} (its snapshot, if any) and, when given, a transaction's writes
   * over it: {@code overlay} holds the range's written keys in the same order, a value that is
   * {@code deleted} (by identity) hiding the key.
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
      Map<byte[], byte[]> overlay,
      byte[] deleted,
      byte[] fromInclusive,
      byte[] toExclusive,
      int limit,
      EntryVisitor visitor) {
    if (toExclusive != null && Arrays.compareUnsigned(fromInclusive, toExclusive) >= 0) {
      return; // An empty range (a seek past the upper bound is not defined to stop).
    }
    try (Slice upper = toExclusive == null ? null : new Slice(toExclusive);
        ReadOptions ro = base == null ? new ReadOptions() : new ReadOptions(base)) {
      if (upper != null) {
        ro.setIterateUpperBound(upper);
      }
      try (RocksIterator it = db.newIterator(cf, ro)) {
        it.seek(fromInclusive);
        if (overlay == null) {
          for (int visited = 0; it.isValid() && visited < limit; it.next()) {
            visited++;
            if (!visitor.visit(it.key(), it.value())) {
              return;
            }
          }
          return;
        }
        merge(it, overlay.entrySet().iterator(), deleted, limit, visitor);
      }
    }
  }

  /** Both in key order; where both hold a key, the overlay's write is the one seen. */
  private static void merge(
      RocksIterator it,
      Iterator<Map.Entry<byte[], byte[]>> written,
      byte[] deleted,
      int limit,
      EntryVisitor visitor) {
    Map.Entry<byte[], byte[]> w = written.hasNext() ? written.next() : null;
    byte[] stored = it.isValid() ? it.key() : null;
    int visited = 0;
    while ((w != null || stored != null) && visited < limit) {
      int order = w == null ? 1 : stored == null ? -1 : Arrays.compareUnsigned(w.getKey(), stored);
      byte[] key;
      byte[] value;
      if (order <= 0) {
        key = w.getKey();
        value = w.getValue();
        w = written.hasNext() ? written.next() : null;
        if (order == 0) {
          it.next();
          stored = it.isValid() ? it.key() : null;
        }
      } else {
        key = stored;
        value = it.value();
        it.next();
        stored = it.isValid() ? it.key() : null;
      }
      if (value == deleted) {
        continue;
      }
      visited++;
      if (!visitor.visit(key, value)) {
        return;
      }
    }
  }
}
