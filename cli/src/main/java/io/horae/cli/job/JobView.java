package io.horae.cli.job;

import io.horae.api.v1.Cron;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobState;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.cli.apply.JobDocument;
import io.horae.cli.common.Durations;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.Redaction;
import io.horae.cli.output.TablePrinter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * How jobs are shown: a table for people, proto JSON for programs. Either way the target URL is
 * printed without its query string or user info, which may hold secrets.
 */
final class JobView {
  private JobView() {}

  /** Prints one job: a one-row table, the job as JSON, or as a YAML document for apply. */
  static void printJob(Job job, OutputFormat format, PrintWriter out) {
    if (format == OutputFormat.JSON) {
      JsonOutput.print(redacted(job), out);
    } else if (format == OutputFormat.YAML) {
      // Not redacted(job): the URL is printed whole, query included, or applying the file back
      // would cut it. Secret header values and the signing secret are never printed.
      out.print(JobDocument.toYaml(job));
    } else {
      printTable(List.of(job), out);
    }
  }

  /** Prints jobs as YAML documents separated by {@code ---}, a file {@code horae apply} takes. */
  static void printYaml(List<Job> jobs, PrintWriter out) {
    for (Job job : jobs) {
      out.println("---");
      out.print(JobDocument.toYaml(job));
    }
  }

  /** Prints jobs as a table: NAME, SCHEDULE, STATE, NEXT FIRE, FIRES, URL. */
  static void printTable(List<Job> jobs, PrintWriter out) {
    TablePrinter table = new TablePrinter("NAME", "SCHEDULE", "STATE", "NEXT FIRE", "FIRES", "URL");
    for (Job job : jobs) {
      table.row(
          job.getName(),
          schedule(job.getSchedule()),
          state(job.getState()),
          job.getNextFireMs() == 0 ? "-" : Instant.ofEpochMilli(job.getNextFireMs()),
          job.getFireCount(),
          Redaction.url(job.getTarget().getUrl()));
    }
    table.print(out);
  }

  /**
   * Returns the job with its target URL redacted and, should a server ever send them, secret header
   * values and the signing secret removed, for JSON output.
   */
  static Job redacted(Job job) {
    if (!job.hasTarget()) {
      return job;
    }
    Job.Builder copy = job.toBuilder().clearSigningSecret();
    Target.Builder target = copy.getTargetBuilder().setUrl(Redaction.url(job.getTarget().getUrl()));
    for (int i = 0; i < target.getHeadersCount(); i++) {
      if (target.getHeaders(i).getSecret()) {
        target.setHeaders(i, target.getHeaders(i).toBuilder().clearValue());
      }
    }
    return copy.build();
  }

  /**
   * Returns e.g. {@code at 2026-11-25T10:00:00Z}, {@code every 5m}, {@code cron '0 9 * * 1-5'
   * Europe/Berlin}, then what is not the default: {@code , dst-gap skip, dst-overlap both, until
   * 2027-01-01T00:00:00Z, at most 10 fires}.
   */
  static String schedule(Schedule schedule) {
    StringBuilder text = new StringBuilder(kind(schedule));
    if (schedule.hasCron()) {
      Cron cron = schedule.getCron();
      if (cron.getDstGap() != Cron.DstGap.DST_GAP_UNSPECIFIED
          && cron.getDstGap() != Cron.DstGap.DST_GAP_SHIFT) {
        text.append(", dst-gap ").append(policy(cron.getDstGap().name(), "DST_GAP_"));
      }
      if (cron.getDstOverlap() != Cron.DstOverlap.DST_OVERLAP_UNSPECIFIED
          && cron.getDstOverlap() != Cron.DstOverlap.DST_OVERLAP_FIRST) {
        text.append(", dst-overlap ").append(policy(cron.getDstOverlap().name(), "DST_OVERLAP_"));
      }
    }
    if (schedule.getEndAtMs() != 0) {
      text.append(", until ").append(Instant.ofEpochMilli(schedule.getEndAtMs()));
    }
    if (schedule.getMaxFires() != 0) {
      long max = schedule.getMaxFires();
      text.append(", at most ").append(max).append(max == 1 ? " fire" : " fires");
    }
    return text.toString();
  }

  /** {@code skip} for {@code DST_GAP_SKIP}; {@code unknown} for a value this CLI does not know. */
  private static String policy(String enumName, String prefix) {
    return enumName.equals("UNRECOGNIZED")
        ? "unknown"
        : enumName.replaceFirst("^" + prefix, "").toLowerCase(Locale.ROOT);
  }

  private static String kind(Schedule schedule) {
    return switch (schedule.getKindCase()) {
      case AT_MS -> "at " + Instant.ofEpochMilli(schedule.getAtMs());
      case AFTER_MS -> "in " + Durations.format(Duration.ofMillis(schedule.getAfterMs()));
      case EVERY ->
          "every " + Durations.format(Duration.ofMillis(schedule.getEvery().getIntervalMs()));
      case CRON -> {
        String zone = schedule.getCron().getTimeZone();
        yield "cron '"
            + schedule.getCron().getExpression()
            + "' "
            + (zone.isEmpty() ? "UTC" : zone);
      }
      case KIND_NOT_SET -> "-";
    };
  }

  /** Returns {@code ACTIVE} for {@code JOB_STATE_ACTIVE}, and so on. */
  static String state(JobState state) {
    return state == JobState.UNRECOGNIZED
        ? "UNKNOWN"
        : state.name().replaceFirst("^JOB_STATE_", "");
  }
}
