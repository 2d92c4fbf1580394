package io.horae.statemachine.core.schedule;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.TreeSet;

/**
 * A slow, obviously correct model of cron fire times under the daylight-saving policies, sharing no
 * code with CronTimes, DstPolicy or cron-utils. It asks the zone only {@link
 * ZoneRules#getValidOffsets} of each matching local time, which says how often the clock shows it:
 *
 * <ul>
 *   <li>once: it fires at local time minus that offset;
 *   <li>twice (fall back): the first showing is the one at the larger offset (the earlier instant);
 *       FIRST fires there, LAST at the other, BOTH at both;
 *   <li>never (spring forward): SKIP drops it; SHIFT fires at the first instant the clock shows a
 *       later time, found by walking the local clock forward minute by minute, then back second by
 *       second, to the first local time that exists.
 * </ul>
 *
 * Several local times may land on one instant (a shifted gap); it fires once.
 */
final class ValidOffsetsOracle {

  /** Local times a gap may span: Pacific/Apia skipped 2011-12-30, a whole day. */
  private static final int GAP_MINUTES_MAX = 25 * 60;

  /** The policies, written apart from DstPolicy and the proto enums on purpose. */
  enum Gap {
    SHIFT,
    SKIP
  }

  /** See {@link Gap}. */
  enum Overlap {
    FIRST,
    LAST,
    BOTH
  }

  private ValidOffsetsOracle() {}

  /** Fire instants (epoch ms) of the given matching local times. */
  static TreeSet<Long> fires(
      ZoneRules rules, List<LocalDateTime> matches, Gap gap, Overlap overlap) {
    TreeSet<Long> fires = new TreeSet<>();
    for (LocalDateTime local : matches) {
      List<ZoneOffset> offsets = rules.getValidOffsets(local);
      if (offsets.size() == 1) {
        fires.add(instantMs(local, offsets.getFirst()));
      } else if (offsets.size() == 2) {
        ZoneOffset larger = max(offsets.get(0), offsets.get(1));
        ZoneOffset smaller = larger.equals(offsets.get(0)) ? offsets.get(1) : offsets.get(0);
        if (overlap != Overlap.LAST) {
          fires.add(instantMs(local, larger));
        }
        if (overlap != Overlap.FIRST) {
          fires.add(instantMs(local, smaller));
        }
      } else if (offsets.isEmpty()) {
        if (gap == Gap.SHIFT) {
          fires.add(firstInstantShowingLater(rules, local));
        }
      } else {
        throw new IllegalStateException(offsets.size() + " offsets for " + local);
      }
    }
    return fires;
  }

  /** For a local time in a gap: the instant the clock first shows a later local time. */
  private static long firstInstantShowingLater(ZoneRules rules, LocalDateTime inGap) {
    LocalDateTime minute = inGap.withSecond(0).plusMinutes(1);
    for (int i = 0; rules.getValidOffsets(minute).isEmpty(); i++) {
      if (i > GAP_MINUTES_MAX) {
        throw new IllegalStateException("no end of the gap around " + inGap);
      }
      minute = minute.plusMinutes(1);
    }
    // The gap ended within the last minute; offsets can have seconds (Africa/Monrovia to 1972).
    LocalDateTime firstExisting = minute;
    while (firstExisting.minusSeconds(1).isAfter(inGap)
        && !rules.getValidOffsets(firstExisting.minusSeconds(1)).isEmpty()) {
      firstExisting = firstExisting.minusSeconds(1);
    }
    return instantMs(firstExisting, rules.getValidOffsets(firstExisting).getFirst());
  }

  private static ZoneOffset max(ZoneOffset a, ZoneOffset b) {
    return a.getTotalSeconds() >= b.getTotalSeconds() ? a : b;
  }

  private static long instantMs(LocalDateTime local, ZoneOffset offset) {
    return local.toEpochSecond(offset) * 1_000;
  }
}
