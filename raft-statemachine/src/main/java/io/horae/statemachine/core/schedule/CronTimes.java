package io.horae.statemachine.core.schedule;

import com.cronutils.model.time.ExecutionTime;
import io.horae.api.v1.Cron;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.Optional;

/**
 * Occurrences of a cron expression in a time zone, at minute resolution.
 *
 * <p>cron-utils is asked only about wall-clock times (on a zone-free UTC clock); {@link WallClock}
 * maps them to instants. We do not let cron-utils evaluate in the real zone because its DST
 * handling (checked on 9.2.1) is wrong or inconsistent: it drops a daily 02:30 job entirely on the
 * spring-forward day; in a fall-back overlap it fires an hourly job in both passes but a daily
 * 01:30 job once, except that asked from inside the overlap it fires that job a second time.
 */
record CronTimes(ExecutionTime wallTimes, ZoneRules rules) implements Occurrences {

  /**
   * @throws IllegalArgumentException if the expression or the zone is invalid
   */
  static CronTimes of(Cron cron) {
    ParsedCron parsed = CronExpressions.parse(cron.getExpression());
    return new CronTimes(parsed.wallTimes(), CronZones.resolve(cron.getTimeZone()).getRules());
  }

  @Override
  public long firstAfter(long afterMs) {
    LocalDateTime unshown = WallClock.firstUnshownMinute(afterMs, rules);
    // nextExecution is strictly after its argument; cron times fall on whole minutes, so starting
    // one second early finds a match at exactly `unshown`.
    Optional<ZonedDateTime> next = wallTimes.nextExecution(atUtc(unshown.minusSeconds(1)));
    if (next.isEmpty()) {
      return 0;
    }
    long fireMs = WallClock.firstInstantShowing(next.get().toLocalDateTime(), rules);
    if (fireMs <= afterMs) {
      throw new IllegalStateException(
          "cron occurrence " + fireMs + " is not after " + afterMs + " in " + rules);
    }
    return fireMs;
  }

  @Override
  public long latestAtOrBefore(long atOrBeforeMs) {
    LocalDateTime unshown = WallClock.firstUnshownMinute(atOrBeforeMs, rules);
    // lastExecution is strictly before its argument.
    Optional<ZonedDateTime> last = wallTimes.lastExecution(atUtc(unshown));
    if (last.isEmpty()) {
      return 0;
    }
    long fireMs = WallClock.firstInstantShowing(last.get().toLocalDateTime(), rules);
    if (fireMs > atOrBeforeMs) {
      throw new IllegalStateException(
          "cron occurrence " + fireMs + " is after " + atOrBeforeMs + " in " + rules);
    }
    return fireMs;
  }

  private static ZonedDateTime atUtc(LocalDateTime wallTime) {
    return wallTime.atZone(ZoneOffset.UTC);
  }
}
