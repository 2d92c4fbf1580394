package io.horae.statemachine.core;

/**
 * The view one apply has of the store: reads see this transaction's own earlier writes, and all
 * writes become visible together when the storage commits the transaction with the applied index.
 * Implementations are not thread-safe; one apply owns one Tx.
 */
public interface Tx extends StoreReader {
  void put(Family family, byte[] key, byte[] value);

  void delete(Family family, byte[] key);

  /** Marks the writes so far: {@link #rollbackToSavepoint} undoes the ones after it. */
  void savepoint();

  /** Undoes every write since the latest savepoint and removes it. */
  void rollbackToSavepoint();

  /** Removes the latest savepoint, keeping the writes made since. */
  void releaseSavepoint();
}
