package io.horae.statemachine.storage;

import io.horae.api.v1.Execution;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.CommandResult;
import io.horae.statemachine.core.Applied;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
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
    return applyEntry(command).result();
  }

  /** Applies the command as the next entry, written in Raft term {@code term}. */
  CommandResult applyInTerm(long term, Command command) {
    return store.apply(term, nextIndex.getAndIncrement(), command).result();
  }

  /** Applies the command as the next entry and returns what apply produced. */
  Applied applyEntry(Command command) {
    return store.apply(1, nextIndex.getAndIncrement(), command);
  }

  /** Applies the command as the next entry with its transaction seen through {@code view}. */
  Applied applyEntry(
      Command command, java.util.function.UnaryOperator<io.horae.statemachine.core.Tx> view) {
    return store.apply(1, nextIndex.getAndIncrement(), command, view);
  }

  /** The stored execution; fails the test when there is none. */
  Execution execution(String id) {
    byte[] bytes = store.get(Family.EXECUTIONS, Keys.execution(id));
    if (bytes == null) {
      throw new AssertionError("no execution " + id);
    }
    try {
      return Execution.parseFrom(bytes);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    store.close();
  }
}
