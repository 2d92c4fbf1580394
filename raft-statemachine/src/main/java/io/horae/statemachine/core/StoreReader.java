package io.horae.statemachine.core;

/** Ordered key-value reads over the column families. */
public interface StoreReader {
  /** The value, or null when the key is absent. */
  byte[] get(Family family, byte[] key);

  /**
   * Visits keys in [fromInclusive, toExclusive) in ascending unsigned byte order until the visitor
   * returns false or {@code limit} entries were visited. A null toExclusive means no upper bound.
   */
  void scan(
      Family family, byte[] fromInclusive, byte[] toExclusive, int limit, EntryVisitor visitor);

  @FunctionalInterface
  interface EntryVisitor {
    /** Returns false to stop the scan. */
    boolean visit(byte[] key, byte[] value);
  }
}
