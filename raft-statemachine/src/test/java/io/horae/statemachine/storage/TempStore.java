package io.horae.statemachine.storage;

import io.horae.internal.v1.Command;
import io.horae.internal.v1.CommandResult;
import io.horae.statemachine.core.Applied;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** A real RocksDB store in a temp dir that numbers the entries it applies. */
final class TempStore implements AutoCloseable {
  final RocksStore store;
  private final AtomicLong nextIndex;

  TempStore(Path dir) {
    this.store = RocksStore.open(dir);
    this.nextIndex = new AtomicLong(store.appliedIndex() + 1);
  }

  CommandResult apply(Command command) {
    Applied applied = store.apply(1, nextIndex.getAndIncrement(), command);
    return applied.result();
  }

  @Override
  public void close() {
    store.close();
  }
}
