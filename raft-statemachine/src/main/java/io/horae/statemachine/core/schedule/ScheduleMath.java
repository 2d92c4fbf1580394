package io.horae.statemachine.core.schedule;

import io.horae.api.v1.Job;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.api.v1.Schedule;
import java.util.List;

/**
 * Pure schedule arithmetic for job creation and for computing the next occurrence after each fire.
 *
 * <p>Reads no clock, random source or environment: "now" is always an argument, chosen by the
 * proposer and carried in the Raft command, so every replica computes the same values. All times
 * are epoch milliseconds (UTC); 0 means "none". Thread-safe.
 *
 * <p>Cron times depend on the JVM's tz database, which can differ between JDK builds. That is why
 * the proposer computes fire times and the command carries them; apply must not recompute them.
 */
public final class ScheduleMath {

  /** Most fires one preview lists. */
  public static final int PREVIEW_COUNT_MAX = SchedulePreview.COUNT_MAX;

  /** Latest instant a schedule may name: 9999-12-31T23:59:59.999Z. */
  public static final long TIME_MS_MAX = ScheduleValidator.TIME_MS_MAX;

  private ScheduleMath() {}

  /**
   * Checks a schedule as received in a create request.
   *
   * @param nowMs the receiving node's time
   * @param pastToleranceMs how far in the past at_ms may be (clock skew between client and node)
   * @param minIntervalMs the smallest every.interval_ms accepted
   * @return every problem found, empty if the schedule is valid
   * @throws IllegalArgumentException if pastToleranceMs or minIntervalMs is negative
   */
  public static List<Violation> validate(
      Schedule s, long nowMs, long pastToleranceMs, long minIntervalMs) {
    return ScheduleValidator.validate(s, nowMs, pastToleranceMs, minIntervalMs);
  }

  /**
   * Returns the stored form: after_ms becomes at_ms = nowMs + after_ms; every.anchor_ms 0 becomes
   * nowMs + interval_ms; an empty cron time_zone becomes "UTC"; everything else is unchanged.
   * Precondition: {@link #validate} found no violations.
   *
   * @throws ArithmeticException if the precondition is broken so that a time overflows
   */
  public static Schedule normalize(Schedule s, long nowMs) {
    return switch (s.getKindCase()) {
      case AFTER_MS -> s.toBuilder().setAtMs(Math.addExact(nowMs, s.getAfterMs())).build();
      case EVERY ->
          s.getEvery().getAnchorMs() != 0
              ? s
              : s.toBuilder()
                  .setEvery(
                      s.getEvery().toBuilder()
                          .setAnchorMs(Math.addExact(nowMs, s.getEvery().getIntervalMs())))
                  .build();
      case CRON ->
          !s.getCron().getTimeZone().isEmpty()
              ? s
              : s.toBuilder()
                  .setCron(s.getCron().toBuilder().setTimeZone(CronZones.DEFAULT_ID))
                  .build();
      case AT_MS, KIND_NOT_SET -> s;
    };
  }

  /**
   * The scheduled time of the first occurrence of a normalized schedule created at nowMs, or 0 if
   * there is none. at: at_ms, unchanged even if slightly in the past. every: the first grid point
   * at or after nowMs. cron: the first cron time at or after nowMs. 0 if that is after end_at_ms;
   * max_fires never prevents the first occurrence.
   *
   * @throws IllegalArgumentException if the schedule is not normalized or not valid
   */
  public static long firstFire(Schedule normalized, long nowMs) {
    long firstMs =
        normalized.getKindCase() == Schedule.KindCase.AT_MS
            ? normalized.getAtMs()
            : occurrences(normalized).firstAfter(saturatedDecrement(nowMs));
    return notAfterEnd(normalized, firstMs);
  }

  /**
   * The occurrence after the one scheduled at scheduledMs, or 0 if there is none (one-shot,
   * end_at_ms passed, max_fires reached). The result is always later than scheduledMs.
   *
   * <p>Misfire policy "coalesce": if the next occurrence is earlier than nowMs - misfireGraceMs
   * (the cluster was down or far behind), returns the latest occurrence at or before nowMs (and
   * end_at_ms) instead, so all missed occurrences fire once, together.
   *
   * @param firesSoFar occurrences created so far, including the one at scheduledMs
   * @throws IllegalArgumentException if firesSoFar < 1, misfireGraceMs < 0, or the schedule is not
   *     normalized or not valid
   */
  public static long nextFire(
      Schedule normalized, long scheduledMs, long firesSoFar, long nowMs, long misfireGraceMs) {
    if (firesSoFar < 1 || misfireGraceMs < 0) {
      throw new IllegalArgumentException(
          "firesSoFar "
              + firesSoFar
              + " must be >= 1 and misfireGraceMs "
              + misfireGraceMs
              + " >= 0");
    }
    if (normalized.getMaxFires() > 0 && firesSoFar >= normalized.getMaxFires()) {
      return 0;
    }
    Occurrences occurrences = occurrences(normalized);
    long nextMs = notAfterEnd(normalized, occurrences.firstAfter(scheduledMs));
    if (nextMs == 0 || nextMs >= saturatedSubtract(nowMs, misfireGraceMs)) {
      return nextMs;
    }
    long endAtMs = normalized.getEndAtMs();
    long horizonMs = endAtMs == 0 ? nowMs : Math.min(nowMs, endAtMs);
    // The latest occurrence up to the horizon is at least nextMs, because nextMs itself qualifies.
    return Math.max(nextMs, occurrences.latestAtOrBefore(horizonMs));
  }

  /**
   * The first occurrence of a normalized schedule strictly after afterMs, or 0 if there is none (or
   * it is after end_at_ms). max_fires is the caller's to apply; misfires play no part.
   *
   * @throws IllegalArgumentException if the schedule is not normalized or not valid
   */
  public static long firstAfter(Schedule normalized, long afterMs) {
    return notAfterEnd(normalized, occurrences(normalized).firstAfter(afterMs));
  }

  /**
   * The first {@code count} fires of a normalized schedule at or after fromMs, as a job created now
   * with it would have them, each with the UTC offset of its zone and a daylight-saving note.
   *
   * @param count 1 to {@link #PREVIEW_COUNT_MAX}
   * @throws IllegalArgumentException if count is out of range, or the schedule is not normalized or
   *     not valid
   */
  public static PreviewScheduleResponse preview(Schedule normalized, long fromMs, int count) {
    return SchedulePreview.ofSchedule(normalized, fromMs, count);
  }

  /**
   * The next {@code count} fires of a stored job at or after fromMs: its latest occurrence if that
   * is not before fromMs, then the following ones; max_fires counts the job's fire_count. None for
   * a COMPLETED or CANCELLED job.
   *
   * @throws IllegalArgumentException as {@link #preview(Schedule, long, int)}
   */
  public static PreviewScheduleResponse preview(Job job, long fromMs, int count) {
    return SchedulePreview.ofJob(job, fromMs, count);
  }

  /**
   * A one-line description for CLI tables, such as "at 2026-11-25T10:00:00Z", "every 5m from
   * 2026-11-25T10:00:00Z" or "cron '0 9 * * 1-5' Europe/Berlin", followed by limits if set.
   */
  public static String describe(Schedule s) {
    return ScheduleDescriptions.describe(s);
  }

  static Occurrences occurrences(Schedule normalized) {
    return switch (normalized.getKindCase()) {
      case AT_MS -> new OneShot(normalized.getAtMs());
      case EVERY -> EveryGrid.of(normalized.getEvery());
      case CRON -> CronTimes.of(normalized.getCron());
      case AFTER_MS, KIND_NOT_SET ->
          throw new IllegalArgumentException(
              "schedule is not normalized: kind " + normalized.getKindCase());
    };
  }

  static long notAfterEnd(Schedule normalized, long fireMs) {
    long endAtMs = normalized.getEndAtMs();
    return endAtMs != 0 && fireMs > endAtMs ? 0 : fireMs;
  }

  private static long saturatedDecrement(long timeMs) {
    return timeMs == Long.MIN_VALUE ? timeMs : timeMs - 1;
  }

  /** a - b, clamped to the long range instead of wrapping around. */
  static long saturatedSubtract(long a, long b) {
    long difference = a - b;
    boolean overflowed = ((a ^ b) & (a ^ difference)) < 0;
    if (overflowed) {
      return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return difference;
  }
}
