package io.horae.statemachine.core.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A slow, obviously correct model of cron fire times, independent of cron-utils and of the
 * transition API WallClock uses: walk the timeline one minute at a time, read the zone's clock, and
 * fire whenever the clock shows a matching wall-clock minute it has never shown before (the "first
 * instant the clock shows it or later" rule, in its most literal form).
 */
final class WallClockOracle {

  private static final long MINUTE_MS = 60_000;

  /** How far before the window to start walking, so "shown before" is known at its start. */
  private static final long WARM_UP_MS = 24 * 60 * MINUTE_MS;

  private WallClockOracle() {}

  /**
   * Fire instants in (fromMs, toMs] of the wall-clock minutes accepted by {@code matches}.
   *
   * @param fromMs start of the window, a whole minute
   */
  static List<Long> fireTimes(
      ZoneId zone, Predicate<LocalDateTime> matches, long fromMs, long toMs) {
    if (fromMs % MINUTE_MS != 0) {
      throw new IllegalArgumentException("fromMs must be a whole minute: " + fromMs);
    }
    List<Long> fires = new ArrayList<>();
    LocalDateTime highestShown = null;
    for (long instantMs = fromMs - WARM_UP_MS; instantMs <= toMs; instantMs += MINUTE_MS) {
      ZonedDateTime clock = Instant.ofEpochMilli(instantMs).atZone(zone);
      if (clock.getOffset().getTotalSeconds() % 60 != 0) {
        throw new IllegalStateException("oracle assumes whole-minute offsets: " + clock);
      }
      LocalDateTime shown = clock.toLocalDateTime();
      if (highestShown != null && instantMs > fromMs && anyMatch(matches, highestShown, shown)) {
        fires.add(instantMs);
      }
      if (highestShown == null || shown.isAfter(highestShown)) {
        highestShown = shown;
      }
    }
    return fires;
  }

  /** Whether a minute in (after, upTo] matches; empty when the clock went back. */
  private static boolean anyMatch(
      Predicate<LocalDateTime> matches, LocalDateTime after, LocalDateTime upTo) {
    for (LocalDateTime minute = after.plusMinutes(1);
        !minute.isAfter(upTo);
        minute = minute.plusMinutes(1)) {
      if (matches.test(minute)) {
        return true;
      }
    }
    return false;
  }
}
