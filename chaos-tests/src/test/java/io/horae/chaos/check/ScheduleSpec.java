package io.horae.chaos.check;

import com.google.gson.JsonObject;

/**
 * A job's schedule as the workload asked for it: a one-shot {@code at_ms}, or a recurring {@code
 * every_ms} on the grid {@code anchor_ms + k * every_ms}, at most {@code max_fires} times (0 =
 * unbounded).
 */
public record ScheduleSpec(Long atMs, Long everyMs, Long anchorMs, long maxFires) {
  public ScheduleSpec {
    if ((atMs == null) == (everyMs == null)) {
      throw new IllegalArgumentException("a schedule has exactly one of at_ms and every_ms");
    }
    if (everyMs != null && (everyMs <= 0 || anchorMs == null)) {
      throw new IllegalArgumentException("every_ms must be > 0 and have an anchor_ms: " + everyMs);
    }
    if (maxFires < 0) {
      throw new IllegalArgumentException("max_fires must be >= 0: " + maxFires);
    }
  }

  public static ScheduleSpec at(long atMs) {
    return new ScheduleSpec(atMs, null, null, 0);
  }

  public static ScheduleSpec every(long everyMs, long anchorMs, long maxFires) {
    return new ScheduleSpec(null, everyMs, anchorMs, maxFires);
  }

  public boolean oneShot() {
    return atMs != null;
  }

  /** The first grid point at or after {@code fromMs}; only for recurring schedules. */
  long firstGridAtOrAfter(long fromMs) {
    if (fromMs <= anchorMs) {
      return anchorMs;
    }
    long k = Math.floorDiv(fromMs - anchorMs + everyMs - 1, everyMs);
    return anchorMs + k * everyMs;
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    if (oneShot()) {
      o.addProperty("at_ms", atMs);
    } else {
      o.addProperty("every_ms", everyMs);
      o.addProperty("anchor_ms", anchorMs);
      o.addProperty("max_fires", maxFires);
    }
    return o;
  }

  static ScheduleSpec fromJson(JsonObject o) {
    Long max = Json.longOrNull(o, "max_fires");
    return new ScheduleSpec(
        Json.longOrNull(o, "at_ms"),
        Json.longOrNull(o, "every_ms"),
        Json.longOrNull(o, "anchor_ms"),
        max == null ? 0 : max);
  }
}
