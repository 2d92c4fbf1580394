package io.horae.statemachine.core.schedule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * Maps wall-clock times of a zone to instants for cron schedules.
 *
 * <p>The rule: <b>a wall-clock time fires at the first instant at which the zone's clock shows that
 * time or later.</b> Consequences around daylight-saving transitions:
 *
 * <ul>
 *   <li>Gap (spring forward): a time the clock skips, such as 02:30 on the day Europe/Berlin
 *       jumps from 02:00 to 03:00, fires once at the transition instant (03:00 CEST). A daily job
 *       is never silently dropped, like Vixie cron's catch-up of skipped fixed-time jobs. Times
 *       that map to the same instant fire once there.
 *   <li>Overlap (fall back): a time the clock shows twice, such as 02:30 on the day Berlin falls
 *       back from 03:00 to 02:00, fires once, at its first showing (02:30 CEST). The same holds for
 *       every wall time in the repeated hour, so an hourly job has a two-hour gap that night.
 * </ul>
 *
 * <p>The map is monotonic (a later wall time never fires before an earlier one), which is what
 * lets {@link CronTimes} search wall-clock times in order. Pure functions of the zone rules.
 */
final class WallClock {

  private WallClock() {}

  /** The first instant at which the zone's clock shows {@code wallTime} or later. */
  static long firstInstantShowing(LocalDateTime wallTime, ZoneRules rules) {
    ZoneOffsetTransition transition = rules.getTransition(wallTime);
    if (transition == null) {
      return wallTime.toInstant(rules.getOffset(wallTime)).toEpochMilli();
    }
    if (transition.isGap()) {
      return transition.getInstant().toEpochMilli();
    }
    // Overlap: the offset before a fall-back is the larger one, so it gives the earlier instant.
    return wallTime.toInstant(transition.getOffsetBefore()).toEpochMilli();
  }

  /**
   * The earliest whole-minute wall time the zone's clock has not shown by {@code instantMs}. Every
   * wall time before it fires at or before {@code instantMs} under {@link #firstInstantShowing};
   * every wall time at or after it fires strictly later.
   *
   * <p>Usually that is the minute after the clock's current reading. In the second pass through a
   * fall-back overlap the clock already showed the whole repeated range before, so the answer is
   * the end of the overlap.
   */
  static LocalDateTime firstUnshownMinute(long instantMs, ZoneRules rules) {
    Instant instant = Instant.ofEpochMilli(instantMs);
    ZoneOffset offset = rules.getOffset(instant);
    LocalDateTime shown = LocalDateTime.ofInstant(instant, offset);
    ZoneOffsetTransition transition = rules.getTransition(shown);
    if (transition != null
        && transition.isOverlap()
        && offset.equals(transition.getOffsetAfter())) {
      return ceilToMinute(transition.getDateTimeBefore());
    }
    return shown.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
  }

  private static LocalDateTime ceilToMinute(LocalDateTime wallTime) {
    LocalDateTime floor = wallTime.truncatedTo(ChronoUnit.MINUTES);
    // Historical offsets may have seconds (local mean time): a transition need not be on a minute.
    return floor.equals(wallTime) ? floor : floor.plusMinutes(1);
  }
}
