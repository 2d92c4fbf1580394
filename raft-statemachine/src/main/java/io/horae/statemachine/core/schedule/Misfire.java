package io.horae.statemachine.core.schedule;

import io.horae.api.v1.MisfirePolicy;
import io.horae.api.v1.Schedule;
import java.time.Duration;
import java.time.Instant;

/**
 * The next occurrence of a recurring schedule under a misfire policy (docs/schedules.md, Missed
 * occurrences). An occurrence is missed when it is due more than the grace before now; what the
 * policy does not fire is described in {@link Next}, so that the history can record it.
 */
public final class Misfire {
  /** FIRE_ALL fires at most this many missed occurrences unless the job says otherwise. */
  public static final int FIRE_ALL_MAX_DEFAULT = 100;

  /** Most missed occurrences counted one by one for the record; more reads "at least". */
  static final int COUNT_MAX = 100_000;

  private Misfire() {}

  /**
   * @param fireMs the next occurrence to create (0: the schedule has ended)
   * @param skippedFirstMs the first missed occurrence not fired (0: none was skipped)
   * @param skippedLastMs the last one
   * @param skippedCount how many (at least this many when {@code countCapped})
   */
  public record Next(
      long fireMs,
      long skippedFirstMs,
      long skippedLastMs,
      long skippedCount,
      boolean countCapped) {
    public boolean skipped() {
      return skippedCount > 0;
    }
  }

  /**
   * The occurrence after the one at scheduledMs, as {@link ScheduleMath#nextFire} computes it
   * without a grace, unless that one is missed; then the policy decides.
   */
  public static Next next(
      Schedule normalized,
      long scheduledMs,
      long firesSoFar,
      long nowMs,
      long graceMs,
      MisfirePolicy policy,
      int fireAllMax) {
    long plain = ScheduleMath.nextFire(normalized, scheduledMs, firesSoFar, nowMs, Long.MAX_VALUE);
    if (plain == 0 || plain >= ScheduleMath.saturatedSubtract(nowMs, graceMs)) {
      return new Next(plain, 0, 0, 0, false);
    }
    Occurrences occurrences = ScheduleMath.occurrences(normalized);
    long endAtMs = normalized.getEndAtMs();
    long latest = occurrences.latestAtOrBefore(endAtMs == 0 ? nowMs : Math.min(nowMs, endAtMs));
    return switch (policy) {
      case MISFIRE_POLICY_SKIP -> {
        long after = ScheduleMath.notAfterEnd(normalized, occurrences.firstAfter(nowMs));
        yield skipping(occurrences, after, plain, latest);
      }
      case MISFIRE_POLICY_FIRE_ALL -> {
        int max = fireAllMax > 0 ? fireAllMax : FIRE_ALL_MAX_DEFAULT;
        long fire = latest;
        for (int i = 1; i < max; i++) {
          long earlier = occurrences.latestAtOrBefore(fire - 1);
          if (earlier < plain) {
            break;
          }
          fire = earlier;
        }
        yield fire == plain
            ? new Next(plain, 0, 0, 0, false)
            : skipping(occurrences, fire, plain, occurrences.latestAtOrBefore(fire - 1));
      }
      case MISFIRE_POLICY_FIRE_ONCE, MISFIRE_POLICY_UNSPECIFIED, UNRECOGNIZED ->
          latest == plain
              ? new Next(plain, 0, 0, 0, false)
              : skipping(occurrences, latest, plain, occurrences.latestAtOrBefore(latest - 1));
    };
  }

  private static Next skipping(Occurrences occurrences, long fireMs, long firstMs, long lastMs) {
    long count = 0;
    long t = firstMs;
    while (t != 0 && t <= lastMs && count < COUNT_MAX) {
      count++;
      t = occurrences.firstAfter(t);
    }
    return new Next(fireMs, firstMs, lastMs, count, t != 0 && t <= lastMs);
  }

  /** The history's reason for the skipped occurrences of {@code next}. */
  public static String reason(Next next, MisfirePolicy policy, long graceMs) {
    String name =
        policy == MisfirePolicy.MISFIRE_POLICY_UNSPECIFIED || policy == MisfirePolicy.UNRECOGNIZED
            ? "FIRE_ONCE"
            : policy.name().replaceFirst("^MISFIRE_POLICY_", "");
    String count =
        (next.countCapped() ? "at least " : "")
            + next.skippedCount()
            + (next.skippedCount() == 1 ? " occurrence" : " occurrences");
    String span =
        next.skippedCount() == 1
            ? "at " + Instant.ofEpochMilli(next.skippedFirstMs())
            : "from "
                + Instant.ofEpochMilli(next.skippedFirstMs())
                + " to "
                + Instant.ofEpochMilli(next.skippedLastMs());
    String then =
        next.fireMs() == 0
            ? "the schedule has ended"
            : "the next one fires at " + Instant.ofEpochMilli(next.fireMs());
    return "misfire policy "
        + name
        + ": "
        + count
        + " "
        + span
        + " missed by more than the grace ("
        + Duration.ofMillis(graceMs)
        + ") and not fired; "
        + then;
  }
}
