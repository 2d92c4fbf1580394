package io.horae.server.exec;

import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Outcome;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The old owner's half of a live hand-off (docs/failover.md): a claim of a shard that moved away,
 * and that this node has not started, is given back through Raft ({@code OUTCOME_RELEASED}) at
 * once. The new owner then takes it without waiting, and what this node still holds there is
 * known to be in flight, whose result the new owner waits for instead of sending it again.
 *
 * <p>Both sets hold only ids of the executor's window (bounded by {@code exec.windowMax}): an id
 * leaves them when its result or release is recorded, or its call ends.
 */
final class HandBack {
  /** Executions whose request was handed to the HTTP client and has not finished. */
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  /** Executions with a result or a release queued: nothing more is sent for them. */
  private final Set<String> answered = ConcurrentHashMap.newKeySet();
  private final Consumer<AttemptResult> results;
  private final LongSupplier clock;
  /** Counts a claim given back (a fenced execution). */
  private final Runnable fenced;

  HandBack(Consumer<AttemptResult> results, LongSupplier clock, Runnable fenced) {
    this.results = results;
    this.clock = clock;
    this.fenced = fenced;
  }

  void started(String id) {
    started.add(id);
  }

  /** The call ended (answered, failed, or stopped at the last fence check). */
  void ended(String id) {
    started.remove(id);
  }

  /** A result is about to be queued for it: never release it as well. */
  void answered(String id) {
    answered.add(id);
  }

  /** Gives the claim back unless its request started or it was answered already. */
  boolean giveBack(Claimed c) {
    if (started.contains(c.executionId()) || !answered.add(c.executionId())) {
      return false;
    }
    results.accept(
        AttemptResult.newBuilder()
            .setExecutionId(c.executionId())
            .setOutcome(Outcome.OUTCOME_RELEASED)
            .setFinishedMs(clock.getAsLong())
            .build());
    fenced.run();
    return true;
  }

  /** Its result or release was recorded (or given up): the executor no longer holds it. */
  void forget(String id) {
    answered.remove(id);
    started.remove(id);
  }
}
