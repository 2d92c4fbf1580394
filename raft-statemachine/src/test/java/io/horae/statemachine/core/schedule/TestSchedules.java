package io.horae.statemachine.core.schedule;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Every;
import io.horae.api.v1.Schedule;
import java.time.OffsetDateTime;

/** Short constructors for schedules and times in tests. */
final class TestSchedules {

  static final long SECOND_MS = 1_000;
  static final long MINUTE_MS = 60 * SECOND_MS;
  static final long HOUR_MS = 60 * MINUTE_MS;
  static final long DAY_MS = 24 * HOUR_MS;

  private TestSchedules() {}

  /** Epoch millis of an ISO-8601 date-time with offset, such as 2026-03-29T03:00+02:00. */
  static long ms(String isoWithOffset) {
    return OffsetDateTime.parse(isoWithOffset).toInstant().toEpochMilli();
  }

  static Schedule at(long atMs) {
    return Schedule.newBuilder().setAtMs(atMs).build();
  }

  static Schedule after(long afterMs) {
    return Schedule.newBuilder().setAfterMs(afterMs).build();
  }

  static Schedule every(long intervalMs, long anchorMs) {
    return Schedule.newBuilder()
        .setEvery(Every.newBuilder().setIntervalMs(intervalMs).setAnchorMs(anchorMs))
        .build();
  }

  static Schedule cron(String expression, String timeZone) {
    return Schedule.newBuilder()
        .setCron(Cron.newBuilder().setExpression(expression).setTimeZone(timeZone))
        .build();
  }

  static Schedule cron(
      String expression, String timeZone, Cron.DstGap gap, Cron.DstOverlap overlap) {
    return Schedule.newBuilder()
        .setCron(
            Cron.newBuilder()
                .setExpression(expression)
                .setTimeZone(timeZone)
                .setDstGap(gap)
                .setDstOverlap(overlap))
        .build();
  }
}
