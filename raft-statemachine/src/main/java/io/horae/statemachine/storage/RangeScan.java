package io.horae.statemachine.storage;

import io.horae.statemachine.core.StoreReader.EntryVisitor;
import java.util.Arrays;
import org.rocksdb.RocksIterator;

/** The one key-range walk behind every scan, over the store or over a transaction's view. */
final class RangeScan {
  private RangeScan() {}

  /** Visits [fromInclusive, toExclusive) in unsigned byte order, at most limit entries. */
  static void visit(
      RocksIterator it, byte[] fromInclusive, byte[] toExclusive, int limit, EntryVisitor visitor) {
    int visited = 0;
    for (it.seek(fromInclusive); it.isValid() && visited < limit; it.next()) {
      byte[] key = it.key();
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
