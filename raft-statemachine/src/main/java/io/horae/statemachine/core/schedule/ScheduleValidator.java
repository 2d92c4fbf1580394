package io.horae.statemachine.core.schedule;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Every;
import io.horae.api.v1.Schedule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The checks behind {@link ScheduleMath#validate}; collects every problem, not just the first. */
final class ScheduleValidator {

  /**
   * Latest instant a schedule may name: 9999-12-31T23:59:59.999Z. Keeps all arithmetic far from
   * overflow and every time printable as an ISO date.
   */
  static final long TIME_MS_MAX = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

  private final long nowMs;
  private final long pastToleranceMs;
  private final long minIntervalMs;
  private final List<Violation> violations = new ArrayList<>();

  private ScheduleValidator(long nowMs, long pastToleranceMs, long minIntervalMs) {
    if (pastToleranceMs < 0 || minIntervalMs < 0) {
      throw new IllegalArgumentException(
          "pastToleranceMs "
              + pastToleranceMs
              + " and minIntervalMs "
              + minIntervalMs
              + " must be >= 0");
    }
    this.nowMs = nowMs;
    this.pastToleranceMs = pastToleranceMs;
    this.minIntervalMs = minIntervalMs;
  }

  static List<Violation> validate(
      Schedule s, long nowMs, long pastToleranceMs, long minIntervalMs) {
    ScheduleValidator validator = new ScheduleValidator(nowMs, pastToleranceMs, minIntervalMs);
    boolean kindValid =
        switch (s.getKindCase()) {
          case AT_MS -> validator.checkAt(s.getAtMs());
          case AFTER_MS -> validator.checkAfter(s.getAfterMs());
          case EVERY -> validator.checkEvery(s.getEvery());
          case CRON -> validator.checkCron(s.getCron());
          case KIND_NOT_SET ->
              validator.add("schedule", "one of at_ms, after_ms, every or cron must be set");
        };
    boolean limitsValid = validator.checkLimits(s);
    if (kindValid && limitsValid) {
      validator.checkFirstFire(s);
    }
    return List.copyOf(validator.violations);
  }

  private boolean checkAt(long atMs) {
    long earliestMs = ScheduleMath.saturatedSubtract(nowMs, pastToleranceMs);
    if (atMs < earliestMs) {
      return add(
          "schedule.at_ms",
          String.format(
              "at_ms %d (%s) is in the past; it must be at or after %d (now minus a tolerance of"
                  + " %d ms)",
              atMs, iso(atMs), earliestMs, pastToleranceMs));
    }
    return checkNotAfterMax("schedule.at_ms", "at_ms", atMs);
  }

  private boolean checkAfter(long afterMs) {
    if (afterMs < 0) {
      return add("schedule.after_ms", "after_ms " + afterMs + " must be >= 0");
    }
    long latestAfterMs = TIME_MS_MAX - Math.clamp(nowMs, 0, TIME_MS_MAX);
    if (afterMs > latestAfterMs) {
      return add(
          "schedule.after_ms", "after_ms " + afterMs + " puts the fire after " + iso(TIME_MS_MAX));
    }
    return true;
  }

  private boolean checkEvery(Every every) {
    boolean valid = true;
    long intervalMs = every.getIntervalMs();
    long intervalMinMs = Math.max(1, minIntervalMs);
    if (intervalMs < intervalMinMs) {
      valid =
          add(
              "schedule.every.interval_ms",
              "interval_ms " + intervalMs + " must be at least " + intervalMinMs);
    } else if (intervalMs > TIME_MS_MAX) {
      valid =
          add(
              "schedule.every.interval_ms",
              "interval_ms " + intervalMs + " must be at most " + TIME_MS_MAX);
    }
    long anchorMs = every.getAnchorMs();
    // A past anchor is fine: the grid simply continues from its first point at or after now.
    if (anchorMs < 0) {
      valid =
          add(
              "schedule.every.anchor_ms",
              "anchor_ms " + anchorMs + " must be >= 0 (0 means one interval after now)");
    } else if (!checkNotAfterMax("schedule.every.anchor_ms", "anchor_ms", anchorMs)) {
      valid = false;
    }
    return valid;
  }

  private boolean checkCron(Cron cron) {
    boolean valid = true;
    String expression = cron.getExpression();
    try {
      if (!CronExpressions.parse(expression).firesEver()) {
        valid =
            add(
                "schedule.cron.expression",
                "'"
                    + expression
                    + "' never fires: no date matches its day-of-month and month fields");
      }
    } catch (IllegalArgumentException e) {
      valid =
          add(
              "schedule.cron.expression",
              "'"
                  + expression
                  + "' is not a valid Unix cron expression ([second] minute hour day-of-month"
                  + " month day-of-week, or @hourly, @daily, ...): "
                  + e.getMessage());
    }
    if (cron.getDstGap() == Cron.DstGap.UNRECOGNIZED) {
      valid =
          add(
              "schedule.cron.dst_gap",
              "unknown value "
                  + cron.getDstGapValue()
                  + "; accepted: DST_GAP_SHIFT (the default) or DST_GAP_SKIP");
    }
    if (cron.getDstOverlap() == Cron.DstOverlap.UNRECOGNIZED) {
      valid =
          add(
              "schedule.cron.dst_overlap",
              "unknown value "
                  + cron.getDstOverlapValue()
                  + "; accepted: DST_OVERLAP_FIRST (the default), DST_OVERLAP_LAST or"
                  + " DST_OVERLAP_BOTH");
    }
    if (!CronZones.isValid(cron.getTimeZone())) {
      valid =
          add(
              "schedule.cron.time_zone",
              "unknown time zone '"
                  + cron.getTimeZone()
                  + "'; use an IANA id such as Europe/Berlin, or empty for UTC");
    }
    return valid;
  }

  private boolean checkLimits(Schedule s) {
    boolean valid = true;
    long endAtMs = s.getEndAtMs();
    if (endAtMs < 0) {
      valid = add("schedule.end_at_ms", "end_at_ms " + endAtMs + " must be >= 0 (0 means none)");
    } else if (!checkNotAfterMax("schedule.end_at_ms", "end_at_ms", endAtMs)) {
      valid = false;
    }
    if (s.getMaxFires() < 0) {
      valid =
          add(
              "schedule.max_fires",
              "max_fires " + s.getMaxFires() + " must be >= 0 (0 means unlimited)");
    }
    return valid;
  }

  /** Runs only on an otherwise valid schedule, so normalizing and computing cannot fail. */
  private void checkFirstFire(Schedule s) {
    Schedule unlimited = ScheduleMath.normalize(s, nowMs).toBuilder().setEndAtMs(0).build();
    long firstMs = ScheduleMath.firstFire(unlimited, nowMs);
    long endAtMs = s.getEndAtMs();
    if (firstMs == 0) {
      add("schedule", "the schedule never fires");
    } else if (endAtMs != 0 && endAtMs < firstMs) {
      add(
          "schedule.end_at_ms",
          String.format(
              "end_at_ms %d (%s) is before the first fire at %d (%s)",
              endAtMs, iso(endAtMs), firstMs, iso(firstMs)));
    }
  }

  private boolean checkNotAfterMax(String field, String name, long timeMs) {
    if (timeMs > TIME_MS_MAX) {
      return add(
          field,
          name + " " + timeMs + " must be at most " + TIME_MS_MAX + " (" + iso(TIME_MS_MAX) + ")");
    }
    return true;
  }

  /** Records a violation; returns false so that callers can write {@code return add(...)}. */
  private boolean add(String field, String description) {
    violations.add(new Violation(field, description));
    return false;
  }

  private static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }
}
