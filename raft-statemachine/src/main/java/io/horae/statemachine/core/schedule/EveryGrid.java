package io.horae.statemachine.core.schedule;

import io.horae.api.v1.Every;

/**
 * The grid {@code anchorMs + k * intervalMs} for k = 0, 1, 2, ... Occurrences never drift with
 * delivery times because they are computed from the anchor, never from the previous fire.
 *
 * <p>A grid point that does not fit in a {@code long} does not exist: arithmetic overflow means "no
 * more occurrences" (0), never a wrapped-around time.
 */
record EveryGrid(long anchorMs, long intervalMs) implements Occurrences {

  EveryGrid {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("intervalMs must be > 0, was " + intervalMs);
    }
  }

  static EveryGrid of(Every every) {
    return new EveryGrid(every.getAnchorMs(), every.getIntervalMs());
  }

  @Override
  public long firstAfter(long afterMs) {
    if (afterMs < anchorMs) {
      return anchorMs;
    }
    try {
      long steps = Math.floorDiv(Math.subtractExact(afterMs, anchorMs), intervalMs) + 1;
      return Math.addExact(anchorMs, Math.multiplyExact(steps, intervalMs));
    } catch (ArithmeticException overflow) {
      return 0;
    }
  }

  @Override
  public long latestAtOrBefore(long atOrBeforeMs) {
    if (atOrBeforeMs < anchorMs) {
      return 0;
    }
    try {
      long steps = Math.floorDiv(Math.subtractExact(atOrBeforeMs, anchorMs), intervalMs);
      // Cannot overflow: the result lies in [anchorMs, atOrBeforeMs].
      return anchorMs + steps * intervalMs;
    } catch (ArithmeticException overflow) {
      return 0;
    }
  }
}
