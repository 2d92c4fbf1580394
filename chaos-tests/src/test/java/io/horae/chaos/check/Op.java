package io.horae.chaos.check;

import io.horae.chaos.check.Event.Type;

/**
 * One operation of one process: its invoke and its completion. A process logs its operations one at
 * a time, so an invoke pairs with the next completion of the same process. An event logged without
 * an invoke (the runner's) is its own invoke and completion; an invoke never completed (the test
 * stopped first) has a null completion and an unknown outcome.
 */
public record Op(Event invoke, Event completion) {
  public String process() {
    return invoke.process();
  }

  public String f() {
    return invoke.f();
  }

  /** ok, fail or info; info when the operation never completed. */
  public Type type() {
    return completion == null ? Type.INFO : completion.type();
  }

  public boolean ok() {
    return type() == Type.OK;
  }

  /** Whether it may have happened: ok or unknown. */
  public boolean mayHaveHappened() {
    return type() != Type.FAIL;
  }

  public long invokeMs() {
    return invoke.timeMs();
  }

  /**
   * The latest time at which the operation may have taken effect: its ok time, or never-ending for
   * an unknown outcome (a timed-out request may still be applied later).
   */
  public long latestEffectMs() {
    return type() == Type.OK ? completion.timeMs() : Long.MAX_VALUE;
  }

  /** When the operation finished (its completion), or its invoke if it never completed. */
  public long doneMs() {
    return completion == null ? invoke.timeMs() : completion.timeMs();
  }

  public String job() {
    if (invoke.job() != null) {
      return invoke.job();
    }
    return invoke.execution() == null ? null : ExecutionKey.jobOf(invoke.execution());
  }
}
