package io.horae.statemachine.core.schedule;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;

/** Time zones accepted for cron schedules: IANA region ids, "UTC", "Z", or empty for UTC. */
final class CronZones {

  /** The zone of a cron schedule whose time_zone is empty. */
  static final String DEFAULT_ID = "UTC";

  /**
   * Snapshot of the JVM's tz database ids. ZoneId.getAvailableZoneIds() copies the set on every
   * call, which is too slow for a per-request check.
   */
  private static final Set<String> REGION_IDS = Set.copyOf(ZoneId.getAvailableZoneIds());

  private CronZones() {}

  static boolean isValid(String id) {
    return id.isEmpty()
        || id.equals("Z")
        // SystemV/* are JDK-only legacy ids, not IANA ones.
        || (REGION_IDS.contains(id) && !id.startsWith("SystemV/"));
  }

  /**
   * The zone for {@code id}.
   *
   * @throws IllegalArgumentException if {@link #isValid} is false
   */
  static ZoneId resolve(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException("unknown time zone '" + id + "'");
    }
    if (id.isEmpty() || id.equals("Z")) {
      return ZoneOffset.UTC;
    }
    return ZoneId.of(id);
  }
}
