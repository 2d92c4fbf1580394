package io.horae.statemachine.storage;

import static io.horae.statemachine.core.Ops.NS;
import static io.horae.statemachine.core.Ops.createAt;
import static io.horae.statemachine.core.Ops.of;
import static io.horae.statemachine.core.Ops.owners;
import static io.horae.statemachine.core.Ops.shardMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.statemachine.core.Queries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot install replaces the database atomically, against a real RocksDB in a temp dir. The
 * install is cut short by a test hook (a failure while the node runs), or its crash is played by
 * leaving the disk as a crash at each step would (the staged copy, the first rename only, both
 * renames): every time the old database, or the whole new one, opens, and no leftover stays.
 */
class AtomicRestoreTest {
  private static final long T0 = 1_800_000_000_000L;

  @TempDir Path tmp;
  private Path dir;
  private Path checkpoint;
  private byte[] oldDigest;
  private byte[] newDigest;

  /**
   * {@code dir} holds job "old" at index 2; {@code checkpoint} holds jobs "new" and "newer" at 3.
   */
  @BeforeEach
  void twoDatabases() {
    dir = tmp.resolve("db");
    checkpoint = tmp.resolve("checkpoint");
    try (RocksStore old = RocksStore.open(dir)) {
      old.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      old.apply(1, 2, of(createAt("old", T0 + 1000, T0)));
      oldDigest = old.digest();
    }
    try (RocksStore source = RocksStore.open(tmp.resolve("source"))) {
      source.apply(1, 1, of(shardMap(0, 1, owners(4, "n1"))));
      source.apply(1, 2, of(createAt("new", T0 + 1000, T0)));
      source.apply(1, 3, of(createAt("newer", T0 + 1000, T0)));
      source.checkpoint(checkpoint);
      newDigest = source.digest();
    }
    assertThat(newDigest).isNotEqualTo(oldDigest);
  }

  @Test
  void aRestoreReplacesTheDatabaseAndLeavesNothingBeside() {
    try (RocksStore store = RocksStore.open(dir)) {
      store.restoreFrom(checkpoint);

      assertThat(store.digest()).isEqualTo(newDigest);
      assertThat(store.appliedIndex()).isEqualTo(3);
    }
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aRestoreThatFailsBeforeTheSwapLeavesTheOldDatabaseInUse() {
    try (RocksStore store = RocksStore.open(dir)) {
      store.installStaged =
          () -> {
            throw new IllegalStateException("disk full (test)");
          };

      assertThatThrownBy(() -> store.restoreFrom(checkpoint))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("the old database stays")
          .hasRootCauseMessage("disk full (test)");
      assertThat(store.digest()).isEqualTo(oldDigest);
      assertThat(Queries.getJob(store, NS, "old").getJobsCount()).isEqualTo(1);
      assertThat(leftovers()).isEmpty();
      assertThat(store.apply(1, 3, of(createAt("after", T0 + 1000, T0))))
          .isNotNull(); // still writable
    }
  }

  @Test
  void aCrashWhileStagingLeavesTheOldDatabaseAndTheNextOpenDeletesThePartialCopy()
      throws Exception {
    Path staged = StoreFiles.stage(checkpoint, dir);
    // Cut the copy short, as a crash mid-copy would: a truncated file and a stray one.
    try (var files = Files.list(staged)) {
      Path sst = files.filter(f -> f.toString().endsWith(".sst")).findFirst().orElseThrow();
      Files.write(sst, new byte[] {1, 2, 3}, StandardOpenOption.TRUNCATE_EXISTING);
    }

    try (RocksStore store = RocksStore.open(dir)) {
      assertThat(store.digest()).isEqualTo(oldDigest);
      assertThat(store.appliedIndex()).isEqualTo(2);
    }
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aCrashBetweenTheRenamesPutsTheOldDatabaseBack() throws Exception {
    StoreFiles.stage(checkpoint, dir);
    Files.move(dir, StoreFiles.replaced(dir), StandardCopyOption.ATOMIC_MOVE);

    try (RocksStore store = RocksStore.open(dir)) {
      assertThat(store.digest()).isEqualTo(oldDigest);
      assertThat(store.appliedIndex()).isEqualTo(2);
    }
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aCrashAfterTheSwapKeepsTheNewDatabaseAndDeletesTheReplacedOne() throws Exception {
    Path staged = StoreFiles.stage(checkpoint, dir);
    Files.move(dir, StoreFiles.replaced(dir), StandardCopyOption.ATOMIC_MOVE);
    Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);

    try (RocksStore store = RocksStore.open(dir)) {
      assertThat(store.digest()).isEqualTo(newDigest);
      assertThat(store.appliedIndex()).isEqualTo(3);
    }
    assertThat(leftovers()).isEmpty();
  }

  /** Directories beside the database that an install left. */
  private java.util.List<Path> leftovers() {
    return java.util.stream.Stream.of(StoreFiles.staged(dir), StoreFiles.replaced(dir))
        .filter(Files::exists)
        .toList();
  }
}
