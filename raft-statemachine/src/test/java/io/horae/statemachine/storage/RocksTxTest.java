package io.horae.statemachine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.Command;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Tx;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction's view (its writes over the store) against a model: random puts, deletes,
 * savepoints, rollbacks and releases over a few keys some of which are stored, with reads and
 * bounded scans compared after every step, and the store compared after the commit.
 */
class RocksTxTest {
  private static final long SEED = Long.getLong("rockstx.seed", 20261206L);
  private static final int ROUNDS = 40, STEPS = 300;
  private static final Family[] FAMILIES = {Family.CHAINS, Family.LIVE};

  @Test
  void readsAndScansSeeTheTransactionsOwnWritesAndSavepointsUndoExactlyTheirs(@TempDir Path dir) {
    Random random = new Random(SEED);
    System.out.println("RocksTxTest seed=" + SEED);
    try (TempStore store = new TempStore(dir)) {
      Map<Family, TreeMap<byte[], byte[]>> stored = new java.util.EnumMap<>(Family.class);
      for (Family f : FAMILIES) {
        stored.put(f, new TreeMap<>(Arrays::compareUnsigned));
      }
      for (int round = 0; round < ROUNDS; round++) {
        int r = round;
        store.applyEntry(
            Command.getDefaultInstance(),
            tx -> {
              runRound(tx, stored, random, r);
              return tx;
            });
        for (Family f : FAMILIES) {
          assertThat(entries(store.store, f, null, null, Integer.MAX_VALUE))
              .as("round %d: %s after the commit", r, f)
              .containsExactlyElementsOf(render(stored.get(f)));
        }
      }
    }
  }

  /** Random steps on one transaction; {@code stored} becomes what it commits. */
  private static void runRound(
      Tx tx, Map<Family, TreeMap<byte[], byte[]>> stored, Random random, int round) {
    Map<Family, TreeMap<byte[], byte[]>> view = copy(stored);
    Deque<Map<Family, TreeMap<byte[], byte[]>>> savepoints = new ArrayDeque<>();
    for (int step = 0; step < STEPS; step++) {
      Family f = FAMILIES[random.nextInt(FAMILIES.length)];
      byte[] key = key(random);
      int kind = random.nextInt(100);
      String where = "round " + round + " step " + step;
      if (kind < 35) {
        byte[] value = random.nextInt(5) == 0 ? new byte[0] : new byte[] {(byte) step};
        tx.put(f, key, value);
        view.get(f).put(key, value);
      } else if (kind < 55) {
        tx.delete(f, key);
        view.get(f).remove(key);
      } else if (kind < 62) {
        tx.savepoint();
        savepoints.push(copy(view));
      } else if (kind < 67 && !savepoints.isEmpty()) {
        tx.rollbackToSavepoint();
        view = savepoints.pop();
      } else if (kind < 72 && !savepoints.isEmpty()) {
        tx.releaseSavepoint();
        savepoints.pop();
      } else if (kind < 85) {
        byte[] expected = view.get(f).get(key);
        byte[] got = tx.get(f, key);
        assertThat(got == null ? null : Arrays.toString(got))
            .as("%s: get %s", where, Arrays.toString(key))
            .isEqualTo(expected == null ? null : Arrays.toString(expected));
      } else {
        byte[] from = key(random);
        byte[] to = random.nextInt(4) == 0 ? null : key(random);
        int limit = 1 + random.nextInt(6);
        TreeMap<byte[], byte[]> all = view.get(f);
        Map<byte[], byte[]> range =
            to == null
                ? all.tailMap(from, true)
                : Arrays.compareUnsigned(from, to) < 0
                    ? all.subMap(from, true, to, false)
                    : Map.of();
        List<String> got = new ArrayList<>();
        tx.scan(
            f,
            from,
            to,
            limit,
            (k, v) -> {
              got.add(Arrays.toString(k) + "=" + Arrays.toString(v));
              return true;
            });
        assertThat(got)
            .as("%s: scan %s from %s to %s", where, f, Arrays.toString(from), Arrays.toString(to))
            .containsExactlyElementsOf(render(range).stream().limit(limit).toList());
      }
    }
    while (!savepoints.isEmpty()) {
      tx.releaseSavepoint();
      savepoints.pop();
    }
    stored.clear();
    stored.putAll(view);
  }

  /** Keys of one or two bytes over a few values, 0x00 and 0xff among them (unsigned order). */
  private static byte[] key(Random random) {
    byte[] values = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xff};
    byte[] key = new byte[1 + random.nextInt(2)];
    for (int i = 0; i < key.length; i++) {
      key[i] = values[random.nextInt(values.length)];
    }
    return key;
  }

  private static List<String> entries(
      RocksStore store, Family f, byte[] from, byte[] to, int limit) {
    List<String> out = new ArrayList<>();
    store.scan(
        f,
        from == null ? new byte[0] : from,
        to,
        limit,
        (k, v) -> {
          out.add(Arrays.toString(k) + "=" + Arrays.toString(v));
          return true;
        });
    return out;
  }

  private static List<String> render(Map<byte[], byte[]> entries) {
    return entries.entrySet().stream()
        .map(e -> Arrays.toString(e.getKey()) + "=" + Arrays.toString(e.getValue()))
        .toList();
  }

  private static Map<Family, TreeMap<byte[], byte[]>> copy(
      Map<Family, TreeMap<byte[], byte[]>> from) {
    Map<Family, TreeMap<byte[], byte[]>> out = new java.util.EnumMap<>(Family.class);
    from.forEach((f, m) -> out.put(f, new TreeMap<>(m)));
    return out;
  }
}
