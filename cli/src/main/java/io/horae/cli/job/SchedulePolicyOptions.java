package io.horae.cli.job;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Schedule;
import io.horae.cli.common.InstantConverter;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * When a schedule stops (--end-at, --max-fires) and what a cron schedule does on daylight-saving
 * nights (--dst-gap, --dst-overlap; docs/schedules.md). Left out, each takes the server's default:
 * no end, no limit, shift and first.
 */
final class SchedulePolicyOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--end-at",
      paramLabel = "INSTANT",
      converter = InstantConverter.class,
      description = "No occurrence after this time, e.g. 2027-01-01T00:00:00Z.")
  Instant endAt;

  @Option(
      names = "--max-fires",
      paramLabel = "N",
      description = "At most this many occurrences, the first included.")
  Long maxFires;

  @Option(
      names = "--dst-gap",
      paramLabel = "shift|skip",
      converter = DstPolicyConverters.Gap.class,
      description =
          "--cron time that the clock skips (spring forward): shift (default) fires when the clock"
              + " jumps, skip leaves that day out.")
  Cron.DstGap dstGap;

  @Option(
      names = "--dst-overlap",
      paramLabel = "first|last|both",
      converter = DstPolicyConverters.Overlap.class,
      description =
          "--cron time that the clock shows twice (fall back): fire at the first (default), the"
              + " last or both.")
  Cron.DstOverlap dstOverlap;

  /** Whether any of these options was given. */
  boolean given() {
    return endAt != null || maxFires != null || dstGap != null || dstOverlap != null;
  }

  /**
   * The schedule with these options; checks what picocli cannot.
   *
   * @param nowMs this machine's time, against which --end-at must lie ahead
   */
  Schedule applyTo(Schedule schedule, long nowMs) {
    if (!schedule.hasCron() && (dstGap != null || dstOverlap != null)) {
      throw usage(
          (dstGap != null ? "--dst-gap" : "--dst-overlap") + " is only allowed with --cron");
    }
    Schedule.Builder out = schedule.toBuilder();
    if (endAt != null) {
      long endAtMs = endAt.toEpochMilli();
      if (endAtMs <= nowMs) {
        throw usage("Invalid value for option '--end-at': " + endAt + " is not in the future");
      }
      if (schedule.hasAtMs() && endAtMs < schedule.getAtMs()) {
        throw usage("Invalid value for option '--end-at': " + endAt + " is before --at");
      }
      out.setEndAtMs(endAtMs);
    }
    if (maxFires != null) {
      if (maxFires < 1) {
        throw usage("Invalid value for option '--max-fires': " + maxFires + " is not at least 1");
      }
      out.setMaxFires(maxFires);
    }
    if (dstGap != null) {
      out.getCronBuilder().setDstGap(dstGap);
    }
    if (dstOverlap != null) {
      out.getCronBuilder().setDstOverlap(dstOverlap);
    }
    return out.build();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
