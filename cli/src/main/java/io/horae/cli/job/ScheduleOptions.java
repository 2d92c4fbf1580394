package io.horae.cli.job;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Every;
import io.horae.api.v1.Schedule;
import io.horae.cli.common.DurationConverter;
import io.horae.cli.common.InstantConverter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/**
 * The schedule of {@code job create}: exactly one of --at, --in, --every, --cron (an exclusive
 * group).
 */
final class ScheduleOptions {

  @Option(
      names = "--at",
      paramLabel = "INSTANT",
      converter = InstantConverter.class,
      description = "Fire once at this time: 2026-11-25T10:00:00Z or 2026-11-25T11:00:00+01:00.")
  Instant at;

  @Option(
      names = "--in",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Fire once this long after the cluster accepts the job: 90s, 5m, 1h30m, 2d.")
  Duration in;

  @Option(
      names = "--every",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Fire repeatedly at this interval, starting one interval from now.")
  Duration every;

  @Option(
      names = "--cron",
      paramLabel = "EXPR",
      description =
          "Fire on a cron expression: 5 fields, 6 with seconds first, or a nickname (@daily); in"
              + " --tz (default UTC).")
  String cron;

  /** Returns whether --cron was given, the only kind that takes a zone. */
  boolean isCron() {
    return cron != null;
  }

  /** Maps the chosen option to the proto; {@code zone} is only used with --cron and may be null. */
  Schedule toSchedule(ZoneId zone) {
    Schedule.Builder schedule = Schedule.newBuilder();
    if (at != null) {
      schedule.setAtMs(at.toEpochMilli());
    } else if (in != null) {
      schedule.setAfterMs(in.toMillis());
    } else if (every != null) {
      schedule.setEvery(Every.newBuilder().setIntervalMs(every.toMillis()));
    } else {
      schedule.setCron(
          Cron.newBuilder().setExpression(cron).setTimeZone(zone == null ? "" : zone.getId()));
    }
    return schedule.build();
  }
}
