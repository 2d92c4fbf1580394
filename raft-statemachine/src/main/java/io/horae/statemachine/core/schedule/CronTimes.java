package io.horae.statemachine.core.schedule;

import com.cronutils.model.time.ExecutionTime;
import io.horae.api.v1.Cron;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * Occurrences of a cron expression in a time zone, at second resolution, under a {@link DstPolicy}.
 *
 * <p>cron-utils is asked only about wall-clock times (on a zone-free UTC clock); the zone's
 * transitions map them to instants here. We do not let cron-utils evaluate in the real zone because
 * its DST handling (checked on 9.2.1) is wrong or inconsistent: it drops a daily 02:30 job entirely
 * on the spring-forward day; in a fall-back overlap it fires an hourly job in both passes but a
 * daily 01:30 job once, except that asked from inside the overlap it fires that job a second time.
 *
 * <p>The timeline is cut at the zone's transitions into segments of constant offset. Inside a
 * segment the map from wall time to instant is {@code wall - offset}, so the first (last) match of
 * a segment is one cron-utils call. A wall time shown in a segment fires there unless it is a
 * repeated time whose showing the policy refuses: at the end of a segment before a fall-back
 * transition the first showing, at the start of the segment after it the second. A transition that
 * skips times (a gap) fires at its own instant when the policy shifts and a skipped time matches.
 *
 * <p>A search that finds no match in a segment moves to the next transition, or, when that is more
 * than {@link #OFFSET_SPAN_MS} away, straight to the instants the next match can fire at: no zone
 * offset exceeds 18 h, so segments that far away cannot show times before the search's start.
 */
record CronTimes(ExecutionTime wallTimes, ZoneRules rules, DstPolicy policy)
    implements Occurrences {

  /** The widest offset of any zone (18 h); instants and wall times differ by at most this. */
  static final long OFFSET_MAX_MS = ZoneOffset.MAX.getTotalSeconds() * 1_000L;

  /** The widest difference between two offsets. */
  static final long OFFSET_SPAN_MS = 2 * OFFSET_MAX_MS;

  /** Searches end here: no schedule may name a later time (ScheduleValidator.TIME_MS_MAX). */
  private static final long SEARCH_END_MS = ScheduleValidator.TIME_MS_MAX;

  /** Nor an earlier one. */
  private static final long SEARCH_START_MS = -SEARCH_END_MS;

  /**
   * @throws IllegalArgumentException if the expression, the zone or a policy is invalid
   */
  static CronTimes of(Cron cron) {
    ParsedCron parsed = CronExpressions.parse(cron.getExpression());
    return new CronTimes(
        parsed.wallTimes(), CronZones.resolve(cron.getTimeZone()).getRules(), DstPolicy.of(cron));
  }

  @Override
  public long firstAfter(long afterMs) {
    long startMs = afterMs + 1;
    while (afterMs < SEARCH_END_MS && startMs <= SEARCH_END_MS) {
      Instant start = Instant.ofEpochMilli(startMs);
      // The segment holding startMs began at `previous` (at or before startMs).
      ZoneOffsetTransition previous = rules.previousTransition(start.plusMillis(1));
      if (previous != null && previous.getInstant().equals(start) && shiftsInto(previous)) {
        return startMs;
      }
      ZoneOffset offset = rules.getOffset(start);
      ZoneOffsetTransition next = rules.nextTransition(start);
      LocalDateTime from = ceilToSecond(LocalDateTime.ofInstant(start, offset));
      if (refusesSecondShowing(previous) && from.isBefore(previous.getDateTimeBefore())) {
        from = previous.getDateTimeBefore();
      }
      Optional<LocalDateTime> match = firstMatchAtOrAfter(from);
      if (match.isPresent()) {
        LocalDateTime wall = match.get();
        boolean inSegment = next == null || wall.isBefore(next.getDateTimeBefore());
        boolean refused = refusesFirstShowing(next) && !wall.isBefore(next.getDateTimeAfter());
        if (inSegment && !refused) {
          return wall.toInstant(offset).toEpochMilli();
        }
      }
      if (next == null) {
        return 0;
      }
      long endMs = next.getInstant().toEpochMilli();
      if (endMs - startMs < OFFSET_SPAN_MS) {
        startMs = endMs;
      } else if (match.isEmpty()) {
        return 0;
      } else {
        startMs = Math.max(endMs, asUtcMs(match.get()) - OFFSET_MAX_MS);
      }
    }
    return 0;
  }

  @Override
  public long latestAtOrBefore(long atOrBeforeMs) {
    long endMs = Math.min(atOrBeforeMs, SEARCH_END_MS);
    while (endMs >= SEARCH_START_MS) {
      Instant end = Instant.ofEpochMilli(endMs);
      ZoneOffsetTransition previous = rules.previousTransition(end.plusMillis(1));
      ZoneOffsetTransition next = rules.nextTransition(end);
      ZoneOffset offset = rules.getOffset(end);
      LocalDateTime to = LocalDateTime.ofInstant(end, offset).truncatedTo(ChronoUnit.SECONDS);
      if (refusesFirstShowing(next) && !to.isBefore(next.getDateTimeAfter())) {
        to = next.getDateTimeAfter().minusSeconds(1);
      }
      Optional<LocalDateTime> match = lastMatchAtOrBefore(to);
      if (match.isPresent()) {
        LocalDateTime wall = match.get();
        boolean inSegment = previous == null || !wall.isBefore(previous.getDateTimeAfter());
        boolean refused =
            refusesSecondShowing(previous) && wall.isBefore(previous.getDateTimeBefore());
        if (inSegment && !refused) {
          return wall.toInstant(offset).toEpochMilli();
        }
      }
      if (previous == null) {
        return 0;
      }
      long startMs = previous.getInstant().toEpochMilli();
      if (shiftsInto(previous)) {
        return startMs;
      }
      if (endMs - startMs < OFFSET_SPAN_MS) {
        endMs = startMs - 1;
      } else if (match.isEmpty()) {
        return 0;
      } else {
        endMs = Math.min(startMs - 1, asUtcMs(match.get()) + OFFSET_MAX_MS);
      }
    }
    return 0;
  }

  /** Whether the policy fires skipped times at this transition, and a skipped time matches. */
  boolean shiftsInto(ZoneOffsetTransition transition) {
    return transition.isGap()
        && policy.shiftGaps()
        && firstMatchAtOrAfter(transition.getDateTimeBefore())
            .filter(wall -> wall.isBefore(transition.getDateTimeAfter()))
            .isPresent();
  }

  /** The first wall time at or after {@code wall} (whole seconds) the expression matches. */
  Optional<LocalDateTime> firstMatchAtOrAfter(LocalDateTime wall) {
    // nextExecution is strictly after its argument.
    return wallTimes.nextExecution(atUtc(wall.minusSeconds(1))).map(ZonedDateTime::toLocalDateTime);
  }

  /** The last wall time at or before {@code wall} (whole seconds) the expression matches. */
  Optional<LocalDateTime> lastMatchAtOrBefore(LocalDateTime wall) {
    // lastExecution is strictly before its argument.
    return wallTimes.lastExecution(atUtc(wall.plusSeconds(1))).map(ZonedDateTime::toLocalDateTime);
  }

  private boolean refusesFirstShowing(ZoneOffsetTransition next) {
    return next != null && next.isOverlap() && !policy.firstShowing();
  }

  private boolean refusesSecondShowing(ZoneOffsetTransition previous) {
    return previous != null && previous.isOverlap() && !policy.secondShowing();
  }

  private static LocalDateTime ceilToSecond(LocalDateTime wall) {
    LocalDateTime floor = wall.truncatedTo(ChronoUnit.SECONDS);
    return floor.equals(wall) ? floor : floor.plusSeconds(1);
  }

  private static ZonedDateTime atUtc(LocalDateTime wall) {
    return wall.atZone(ZoneOffset.UTC);
  }

  /** A wall time read as if it were UTC, in epoch ms: the reference for offset arithmetic. */
  private static long asUtcMs(LocalDateTime wall) {
    return wall.toInstant(ZoneOffset.UTC).toEpochMilli();
  }
}
