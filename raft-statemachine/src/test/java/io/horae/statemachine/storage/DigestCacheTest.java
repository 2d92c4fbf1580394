package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state digest is computed once per applied index: a second request at the same index does not
 * scan the store again, a new entry or a restore does, and the cached answer cannot be changed by a
 * caller. Counted with the store's scan counter on a real RocksDB.
 */
class DigestCacheTest {
  private static final long T0 = 1_800_000_000_000L;

  @TempDir Path tmp;

  @Test
  void aSecondDigestAtTheSameAppliedIndexDoesNotScanAgain() {
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      store.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      store.apply(1, 2, of(createAt("a", T0 + 1000, T0)));

      RocksStore.Digest first = store.consistentDigest();
      RocksStore.Digest second = store.consistentDigest();

      assertThat(store.digestScans.get()).isEqualTo(1);
      assertThat(second.appliedIndex()).isEqualTo(first.appliedIndex()).isEqualTo(2);
      assertThat(second.sha256()).isEqualTo(first.sha256());
    }
  }

  @Test
  void aNewEntryGivesANewDigestFromANewScan() {
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      store.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      byte[] before = store.digest();
      store.apply(1, 2, of(createAt("a", T0 + 1000, T0)));

      byte[] after = store.digest();

      assertThat(store.digestScans.get()).isEqualTo(2);
      assertThat(after).isNotEqualTo(before);
    }
  }

  @Test
  void aRestoreDropsTheCachedDigest() {
    try (RocksStore source = RocksStore.open(tmp.resolve("source"));
        RocksStore target = RocksStore.open(tmp.resolve("target"))) {
      source.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      source.apply(1, 2, of(createAt("a", T0 + 1000, T0)));
      target.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      target.apply(1, 2, of(createAt("b", T0 + 1000, T0)));
      byte[] targetBefore = target.digest();
      source.checkpoint(tmp.resolve("checkpoint"));

      target.restoreFrom(tmp.resolve("checkpoint"));

      // Same applied index (2) as before the restore, other state: the digest is computed anew.
      assertThat(target.digest()).isEqualTo(source.digest()).isNotEqualTo(targetBefore);
      assertThat(target.digestScans.get()).isEqualTo(2);
    }
  }

  @Test
  void aCallerChangingItsDigestDoesNotChangeTheNextAnswer() {
    try (RocksStore store = RocksStore.open(tmp.resolve("db"))) {
      store.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      byte[] first = store.digest();
      byte[] kept = first.clone();

      first[0] ^= 1;

      assertThat(store.digest()).isEqualTo(kept);
    }
  }
}
