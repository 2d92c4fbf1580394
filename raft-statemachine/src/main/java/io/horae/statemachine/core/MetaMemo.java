package io.horae.statemachine.core;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Meta records (namespace usage counters, above all) read or written through one {@link State}: the
 * transaction's view of them. A one-shot create read its namespace's usage three times and wrote it
 * twice; in a batched create these reads were a tenth of apply (issue 11's profile). Written back
 * like the State's jobs: at the op's end, before a scan of the family, and forgotten on a rollback.
 * Apply is single-threaded.
 */
final class MetaMemo {
  /** Most meta records remembered; past it the memo is written back and emptied. */
  static final int MAX = 1_024;

  /** A record known to be absent (compared by identity: a stored value may be empty). */
  private static final byte[] ABSENT = new byte[0];

  private final Tx raw;
  private final Map<ByteBuffer, byte[]> known = new HashMap<>();

  /** Records put or deleted ({@link #ABSENT}) since the last write-back, in write order. */
  private final Map<ByteBuffer, byte[]> unwritten = new LinkedHashMap<>();

  MetaMemo(Tx raw) {
    this.raw = raw;
  }

  byte[] get(byte[] key) {
    byte[] value = known.get(ByteBuffer.wrap(key));
    if (value == null) {
      byte[] stored = raw.get(Family.META, key);
      value = stored == null ? ABSENT : stored;
      // A copy: the caller may reuse its key array, and the memo's keys must not change.
      remember(ByteBuffer.wrap(key.clone()), value);
    }
    return value == ABSENT ? null : value;
  }

  void put(byte[] key, byte[] value) {
    ByteBuffer k = ByteBuffer.wrap(key.clone());
    remember(k, value);
    unwritten.put(k, value);
  }

  void delete(byte[] key) {
    put(key, ABSENT);
  }

  /** Writes the pending records to the transaction, in write order. */
  void writeBack() {
    for (Map.Entry<ByteBuffer, byte[]> e : unwritten.entrySet()) {
      byte[] key = e.getKey().array();
      if (e.getValue() == ABSENT) {
        raw.delete(Family.META, key);
      } else {
        raw.put(Family.META, key, e.getValue());
      }
    }
    unwritten.clear();
  }

  /** Forgets the memo and what is pending: the transaction was rolled back. */
  void forget() {
    unwritten.clear();
    known.clear();
  }

  private void remember(ByteBuffer key, byte[] value) {
    if (known.size() >= MAX && !known.containsKey(key)) {
      writeBack();
      known.clear();
    }
    known.put(key, value);
  }
}
