package io.horae.statemachine.storage;

import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Tx;

/** A transaction that passes every call to another; tests override the calls they watch. */
class ForwardingTx implements Tx {
  final Tx tx;

  ForwardingTx(Tx tx) {
    this.tx = tx;
  }

  @Override
  public byte[] get(Family family, byte[] key) {
    return tx.get(family, key);
  }

  @Override
  public void scan(
      Family family, byte[] fromInclusive, byte[] toExclusive, int limit, EntryVisitor visitor) {
    tx.scan(family, fromInclusive, toExclusive, limit, visitor);
  }

  @Override
  public void put(Family family, byte[] key, byte[] value) {
    tx.put(family, key, value);
  }

  @Override
  public void delete(Family family, byte[] key) {
    tx.delete(family, key);
  }

  @Override
  public void savepoint() {
    tx.savepoint();
  }

  @Override
  public void rollbackToSavepoint() {
    tx.rollbackToSavepoint();
  }

  @Override
  public void releaseSavepoint() {
    tx.releaseSavepoint();
  }
}
