package io.horae.statemachine.core.schedule;

/**
 * The occurrence times of one recurring or one-shot schedule, ignoring {@code end_at_ms} and {@code
 * max_fires}. Times are epoch milliseconds; 0 means "no such occurrence".
 */
sealed interface Occurrences permits OneShot, EveryGrid, CronTimes {

  /** The first occurrence strictly after {@code afterMs}, or 0 if there is none. */
  long firstAfter(long afterMs);

  /** The latest occurrence at or before {@code atOrBeforeMs}, or 0 if there is none. */
  long latestAtOrBefore(long atOrBeforeMs);
}
