package io.horae.statemachine.core.schedule;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Schedule;
import java.time.Instant;
import java.util.Locale;

/** Human-friendly one-line descriptions of schedules, for CLI tables and logs. */
final class ScheduleDescriptions {

  private static final long SECOND_MS = 1_000;
  private static final long MINUTE_MS = 60 * SECOND_MS;
  private static final long HOUR_MS = 60 * MINUTE_MS;
  private static final long DAY_MS = 24 * HOUR_MS;

  private ScheduleDescriptions() {}

  static String describe(Schedule s) {
    StringBuilder text = new StringBuilder(kind(s));
    if (s.getEndAtMs() != 0) {
      text.append(", until ").append(instant(s.getEndAtMs()));
    }
    if (s.getMaxFires() != 0) {
      text.append(", at most ").append(s.getMaxFires());
      text.append(s.getMaxFires() == 1 ? " fire" : " fires");
    }
    return text.toString();
  }

  private static String kind(Schedule s) {
    return switch (s.getKindCase()) {
      case AT_MS -> "at " + instant(s.getAtMs());
      case AFTER_MS -> "after " + duration(s.getAfterMs());
      case EVERY -> {
        long anchorMs = s.getEvery().getAnchorMs();
        String every = "every " + duration(s.getEvery().getIntervalMs());
        // Anchor 0 (request form) means "one interval after creation".
        yield anchorMs == 0 ? every : every + " from " + instant(anchorMs);
      }
      case CRON -> {
        String zone = s.getCron().getTimeZone();
        yield "cron '"
            + s.getCron().getExpression()
            + "' "
            + (zone.isEmpty() ? CronZones.DEFAULT_ID : zone)
            + dstPolicies(s.getCron());
      }
      case KIND_NOT_SET -> "no schedule";
    };
  }

  /** ", dst-gap skip, dst-overlap both": the policies that are not the default. */
  private static String dstPolicies(Cron cron) {
    String text = "";
    if (cron.getDstGap() != Cron.DstGap.DST_GAP_UNSPECIFIED
        && cron.getDstGap() != Cron.DstGap.DST_GAP_SHIFT) {
      text += ", dst-gap " + policyName(cron.getDstGap().name(), "DST_GAP_");
    }
    if (cron.getDstOverlap() != Cron.DstOverlap.DST_OVERLAP_UNSPECIFIED
        && cron.getDstOverlap() != Cron.DstOverlap.DST_OVERLAP_FIRST) {
      text += ", dst-overlap " + policyName(cron.getDstOverlap().name(), "DST_OVERLAP_");
    }
    return text;
  }

  private static String policyName(String enumName, String prefix) {
    return enumName.replaceFirst("^" + prefix, "").toLowerCase(Locale.ROOT);
  }

  /** ISO-8601, such as 2026-11-25T10:00:00Z; milliseconds only when non-zero. */
  private static String instant(long epochMs) {
    return Instant.ofEpochMilli(epochMs).toString();
  }

  /** Compact units, largest first: 90000 → "1m30s", 1500 → "1s500ms", 0 → "0ms". */
  static String duration(long ms) {
    if (ms <= 0) {
      return ms + "ms";
    }
    StringBuilder text = new StringBuilder();
    long rest = ms;
    long[] unitsMs = {DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS, 1};
    String[] names = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < unitsMs.length; i++) {
      long count = rest / unitsMs[i];
      if (count > 0) {
        text.append(count).append(names[i]);
        rest -= count * unitsMs[i];
      }
    }
    return text.toString();
  }
}
