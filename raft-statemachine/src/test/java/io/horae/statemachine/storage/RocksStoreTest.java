package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.internal.v1.Command;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Ops;
import io.horae.statemachine.core.Queries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage contract of DESIGN §4-5 against a real RocksDB: the applied index is stored with each
 * entry, a restart neither loses nor re-applies entries, checkpoints restore to the same state, and
 * the same log yields byte-identical state on two replicas.
 */
class RocksStoreTest {
  private static final long T0 = 1_800_000_000_000L;

  @TempDir Path tmp;

  @Test
  void appliedIndexSurvivesRestartAndOldEntriesAreNotAppliedAgain() {
    Path dir = tmp.resolve("db");
    byte[] digestBefore;
    try (RocksStore store = RocksStore.open(dir)) {
      store.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      store.apply(1, 2, of(createAt("a", T0 + 1000, T0)));
      store.apply(2, 3, of(createAt("b", T0 + 2000, T0)));
      digestBefore = store.digest();
    }
    try (RocksStore store = RocksStore.open(dir)) {
      assertThat(store.appliedIndex()).isEqualTo(3);
      assertThat(store.appliedTerm()).isEqualTo(2);
      // A replay of entry 3 with different content must change nothing.
      assertThat(store.apply(2, 3, of(Ops.delete("b", T0)))).isNull();
      assertThat(store.apply(1, 2, of(createAt("c", T0 + 3000, T0)))).isNull();
      assertThat(store.digest()).isEqualTo(digestBefore);
      assertThat(Queries.getJob(store, NS, "b").getJobsCount()).isEqualTo(1);
      assertThat(Queries.getJob(store, NS, "c").getJobsCount()).isZero();
      // The next entry applies.
      assertThat(store.apply(2, 4, of(createAt("c", T0 + 3000, T0)))).isNotNull();
      assertThat(store.appliedIndex()).isEqualTo(4);
    }
  }

  @Test
  void checkpointRestoredIntoAnotherStoreHoldsTheSameStateAndIndex() {
    try (RocksStore source = RocksStore.open(tmp.resolve("source"));
        RocksStore target = RocksStore.open(tmp.resolve("target"))) {
      List<Command> log = randomLog(new Random(7), 200);
      for (int i = 0; i < log.size(); i++) {
        source.apply(1, i + 1, log.get(i));
      }
      target.apply(1, 1, of(createAt("unrelated", T0 + 5, T0)));
      Path checkpoint = tmp.resolve("checkpoint");
      source.checkpoint(checkpoint);

      target.restoreFrom(checkpoint);

      assertThat(target.appliedIndex()).isEqualTo(source.appliedIndex());
      assertThat(target.digest()).isEqualTo(source.digest());
      assertThat(Queries.getJob(target, NS, "unrelated").getJobsCount()).isZero();
    }
  }

  @Test
  void theSameLogAppliedToTwoStoresGivesByteIdenticalState() {
    List<Command> log = randomLog(new Random(42), 500);
    try (RocksStore a = RocksStore.open(tmp.resolve("a"));
        RocksStore b = RocksStore.open(tmp.resolve("b"))) {
      for (int i = 0; i < log.size(); i++) {
        a.apply(3, i + 1, log.get(i));
        b.apply(3, i + 1, log.get(i));
      }
      for (Family f : Family.values()) {
        assertThat(dump(b, f)).as("family %s", f).containsExactlyElementsOf(dump(a, f));
      }
      assertThat(a.digest()).isEqualTo(b.digest());
      assertThat(a.consistentDigest().appliedIndex()).isEqualTo(log.size());
      assertThat(a.consistentDigest().sha256())
          .isEqualTo(b.consistentDigest().sha256())
          .isEqualTo(a.digest());
      assertThat(dump(a, Family.JOBS)).isNotEmpty();
      assertThat(dump(a, Family.EXECUTIONS)).isNotEmpty();
    }
  }

  @Test
  void differentStateGivesADifferentDigest() {
    try (RocksStore a = RocksStore.open(tmp.resolve("a"));
        RocksStore b = RocksStore.open(tmp.resolve("b"))) {
      a.apply(1, 1, of(shardMap(0, 1, owners(4, "n1")), createAt("x", T0 + 1, T0)));
      b.apply(1, 1, of(shardMap(0, 1, owners(4, "n1")), createAt("y", T0 + 1, T0)));
      assertThat(a.digest()).isNotEqualTo(b.digest());
    }
  }

  /** A seeded mix of creates, deletes and completions by two nodes (the first result wins). */
  static List<Command> randomLog(Random random, int entries) {
    List<Command> log = new ArrayList<>();
    List<String> created = new ArrayList<>();
    log.add(of(shardMap(0, 1, owners(8, "n1", "n2"))));
    for (int i = 1; i < entries; i++) {
      long now = T0 + i * 100L;
      String name = "job-" + random.nextInt(60);
      String id = created.isEmpty() ? "none" : created.get(random.nextInt(created.size()));
      int kind = random.nextInt(4);
      if (kind <= 1) {
        created.add(NS + "/" + name + "@" + (now + 1000));
        created.add(NS + "/" + name + "-b@" + (now + 2000));
      }
      log.add(
          switch (kind) {
            case 0, 1 ->
                of(createAt(name, now + 1000, now), createAt(name + "-b", now + 2000, now));
            case 2 -> of(Ops.delete(name, now));
            default -> of(Ops.succeeded("n1", 1, now, id, 0), Ops.succeeded("n2", 1, now, id, 0));
          });
    }
    return log;
  }

  private static List<String> dump(RocksStore store, Family family) {
    List<String> out = new ArrayList<>();
    store.scan(
        family,
        new byte[0],
        null,
        Integer.MAX_VALUE,
        (k, v) -> {
          if (!(family == Family.META && java.util.Arrays.equals(k, Keys.META_APPLIED))) {
            out.add(
                java.util.HexFormat.of().formatHex(k)
                    + "="
                    + java.util.HexFormat.of().formatHex(v));
          }
          return true;
        });
    return out;
  }

  @Test
  void aStoreWrittenBeforeTheIndexesAndUsageCountsGetsThemAtOpenWithTheSameDigestAsOneThatHadThem()
      throws Exception {
    Path dir = tmp.resolve("v1");
    byte[] withIndexes;
    try (RocksStore store = RocksStore.open(dir)) {
      store.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      store.apply(1, 2, of(createAt("a", T0 + 1000, T0), createAt("b", T0 + 2000, T0)));
      store.apply(
          1,
          3,
          of(
              Ops.succeeded(
                  "n1",
                  1,
                  T0 + 1000,
                  io.horae.statemachine.core.ExecutionIds.of(NS, "a", T0 + 1000),
                  0)));
      withIndexes = store.digest();
    }
    // Make it a version-1 store: no index entries, schema 1.
    List<org.rocksdb.ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(
        new org.rocksdb.ColumnFamilyDescriptor(org.rocksdb.RocksDB.DEFAULT_COLUMN_FAMILY));
    for (Family f : Family.values()) {
      descriptors.add(new org.rocksdb.ColumnFamilyDescriptor(Keys.utf8(f.columnName())));
    }
    List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
    try (org.rocksdb.DBOptions options = new org.rocksdb.DBOptions();
        org.rocksdb.RocksDB raw =
            org.rocksdb.RocksDB.open(options, dir.toString(), descriptors, handles)) {
      for (Family f : List.of(Family.LIVE, Family.HISTORY)) {
        org.rocksdb.ColumnFamilyHandle h = handles.get(f.ordinal() + 1);
        raw.deleteRange(
            h, new byte[0], new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
      }
      // ... and no namespace usage records (schema 3).
      raw.deleteRange(
          handles.get(Family.META.ordinal() + 1),
          Keys.META_NS_USAGE_PREFIX,
          Keys.prefixEnd(Keys.META_NS_USAGE_PREFIX));
      raw.put(
          handles.get(Family.META.ordinal() + 1),
          Keys.META_SCHEMA,
          java.nio.ByteBuffer.allocate(4).putInt(1).array());
      handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
    }
    try (RocksStore store = RocksStore.open(dir)) {
      assertThat(store.digest()).isEqualTo(withIndexes);
    }
  }

  @Test
  void theBlockCacheHasTheCapacityTheStoreWasOpenedWithAndRocksDbsDefaultOtherwise() {
    try (RocksStore configured = RocksStore.open(tmp.resolve("configured"), 32L << 20);
        RocksStore plain = RocksStore.open(tmp.resolve("plain"))) {
      assertThat(configured.blockCacheCapacity()).isEqualTo(32L << 20);
      assertThat(plain.blockCacheCapacity()).isEqualTo(8L << 20);
    }
  }

  @Test
  void rocksDbPropertiesAreReadPerFamilyOrForTheDatabaseAndAnUnknownOneIsAnError() {
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      store.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      store.apply(1, 2, of(createAt("a", T0 + 1000, T0)));
      assertThat(store.longProperty("rocksdb.num-files-at-level0", true)).isZero();

      store.flush();

      // Every family the entries wrote now has a table file in level 0.
      assertThat(store.longProperty("rocksdb.num-files-at-level0", true)).isGreaterThan(1);
      assertThat(store.longProperty("rocksdb.total-sst-files-size", true)).isPositive();
      assertThat(store.longProperty("rocksdb.num-running-compactions", false)).isNotNegative();
      assertThatThrownBy(() -> store.longProperty("rocksdb.no-such-property", true))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("rocksdb.no-such-property");
    }
  }
}
