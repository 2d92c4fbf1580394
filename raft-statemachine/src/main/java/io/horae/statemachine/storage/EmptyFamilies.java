package io.horae.statemachine.storage;

import io.horae.statemachine.core.Family;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;

/**
 * Whether a rarely written column family holds no key at all in the committed store, remembered
 * between entries so that apply's scans of it skip the iterator when it is empty. Every successful
 * job's result scans {@link Family#CHAINS} for its followers, and most clusters have no chained
 * job: opening the iterator and seeking it was 1-1.5 % of the nodes' CPU in a burst and in a steady
 * run (docs/storage.md, "Empty families").
 *
 * <p>A cache of the store's own content, so apply stays deterministic: every replica at one applied
 * index holds the same keys and gets the same answer. It is forgotten for a family whenever a
 * committed entry wrote to it, and altogether when the database is opened or replaced; a
 * transaction that wrote to the family sees its own writes by scanning. Apply thread only (and the
 * open, under the store's write lock).
 */
final class EmptyFamilies {
  /** The families remembered: written only when a chained job is created, changed or deleted. */
  static final Set<Family> TRACKED = Set.of(Family.CHAINS);

  private final Map<Family, Boolean> empty = new EnumMap<>(Family.class);

  /** Scans of the committed store made to learn emptiness; tests read it. */
  long probes;

  /** True when {@code family} is tracked and the committed store holds no key in it. */
  boolean committedEmpty(RocksDB db, Map<Family, ColumnFamilyHandle> handles, Family family) {
    if (!TRACKED.contains(family)) {
      return false;
    }
    Boolean known = empty.get(family);
    if (known == null) {
      probes++;
      boolean[] any = {false};
      RangeScan.visit(
          db,
          handles.get(family),
          null,
          null,
          new byte[0],
          null,
          1,
          (k, v) -> {
            any[0] = true;
            return false;
          });
      known = !any[0];
      empty.put(family, known);
    }
    return known;
  }

  /** A committed entry wrote to these families: what was known of them is void. */
  void written(Set<Family> families) {
    for (Family f : families) {
      empty.remove(f);
    }
  }
}
