package io.horae.statemachine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.Command;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Tx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apply's scans of an empty rarely written family (the job chains) skip the store, and still see
 * every key as soon as one is written, committed, rolled back, deleted or brought in by a restore.
 */
class EmptyFamiliesTest {
  private static final byte[] KEY = "ns\0parent\0child".getBytes(StandardCharsets.UTF_8);

  @Test
  void anEmptyChainsFamilyIsProbedOnceAndEveryWriteIsSeenAtOnce(@TempDir Path dir) {
    try (TempStore store = new TempStore(dir)) {
      assertThat(scanIn(store, tx -> {})).isEmpty();
      assertThat(store.store.emptyFamilies.probes).isEqualTo(1);
      assertThat(scanIn(store, tx -> {})).isEmpty();
      assertThat(store.store.emptyFamilies.probes).as("known empty: no second probe").isEqualTo(1);

      assertThat(scanIn(store, tx -> tx.put(Family.CHAINS, KEY, new byte[0])))
          .as("the transaction's own write")
          .containsExactly("ns\0parent\0child");
      assertThat(scanIn(store, tx -> {}))
          .as("the committed write")
          .containsExactly("ns\0parent\0child");

      assertThat(scanIn(store, tx -> tx.delete(Family.CHAINS, KEY))).isEmpty();
      assertThat(scanIn(store, tx -> {})).isEmpty();
      int probes = (int) store.store.emptyFamilies.probes;
      assertThat(scanIn(store, tx -> {})).isEmpty();
      assertThat(store.store.emptyFamilies.probes).isEqualTo(probes);
    }
  }

  @Test
  void aRolledBackWriteLeavesNothingToSee(@TempDir Path dir) {
    try (TempStore store = new TempStore(dir)) {
      assertThat(
              scanIn(
                  store,
                  tx -> {
                    tx.savepoint();
                    tx.put(Family.CHAINS, KEY, new byte[0]);
                    tx.rollbackToSavepoint();
                  }))
          .isEmpty();
      assertThat(scanIn(store, tx -> {})).isEmpty();
    }
  }

  @Test
  void aRestoredStoreIsNotTakenForTheEmptyOneItReplaced(
      @TempDir Path dir, @TempDir Path other, @TempDir Path checkpoints) {
    Path checkpoint = checkpoints.resolve("cp");
    try (TempStore source = new TempStore(other)) {
      scanIn(source, tx -> tx.put(Family.CHAINS, KEY, new byte[0]));
      source.store.checkpoint(checkpoint);
    }
    try (TempStore store = new TempStore(dir)) {
      assertThat(scanIn(store, tx -> {})).isEmpty();
      store.store.restoreFrom(checkpoint);
      assertThat(scanIn(store, tx -> {})).containsExactly("ns\0parent\0child");
    }
  }

  /** Runs {@code writes} then a scan of the whole chains family in one entry; the keys it saw. */
  private static List<String> scanIn(TempStore store, java.util.function.Consumer<Tx> writes) {
    List<String> seen = new ArrayList<>();
    store.applyEntry(
        Command.getDefaultInstance(),
        tx -> {
          writes.accept(tx);
          tx.scan(
              Family.CHAINS,
              new byte[0],
              null,
              10,
              (k, v) -> {
                seen.add(new String(k, StandardCharsets.UTF_8));
                return true;
              });
          return tx;
        });
    return seen;
  }
}
