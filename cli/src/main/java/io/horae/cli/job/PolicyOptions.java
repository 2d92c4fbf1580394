package io.horae.cli.job;

import io.horae.api.v1.Job;
import io.horae.api.v1.MisfirePolicy;
import io.horae.cli.common.DurationConverter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The misfire options of job create and update (docs/schedules.md, Missed occurrences). */
final class PolicyOptions {
  @Option(
      names = "--misfire",
      paramLabel = "POLICY",
      description =
          "Occurrences missed by more than the grace: fire-once (default: the latest fires), fire-all (each, up to --fire-all-max) or skip.")
  String misfire;

  @Option(
      names = "--misfire-grace",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How late an occurrence may be and still count as on time (default: the node's exec.misfireGrace).")
  Duration grace;

  @Option(
      names = "--overlap",
      paramLabel = "POLICY",
      description =
          "An execution due while another of the job runs: skip (default: recorded as SKIPPED), allow (sent anyway) or queue (waits; at most one).")
  String overlap;

  @Option(
      names = "--fire-all-max",
      paramLabel = "N",
      description = "fire-all: most missed occurrences fired after one outage (default 100).")
  Integer fireAllMax;

  /** Sets what was given on the job and names it in paths (an update's mask; may be null). */
  void applyTo(Job.Builder job, List<String> paths, CommandSpec spec) {
    if (overlap != null) {
      io.horae.api.v1.OverlapPolicy p;
      try {
        p =
            io.horae.api.v1.OverlapPolicy.valueOf(
                "OVERLAP_POLICY_" + overlap.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        p = io.horae.api.v1.OverlapPolicy.OVERLAP_POLICY_UNSPECIFIED;
      }
      if (p == io.horae.api.v1.OverlapPolicy.OVERLAP_POLICY_UNSPECIFIED) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--overlap': '"
                + overlap
                + "' (expected skip, allow or queue)");
      }
      job.setOverlapPolicy(p);
      add(paths, "overlap_policy");
    }
    if (misfire != null) {
      try {
        job.setMisfirePolicy(
            MisfirePolicy.valueOf(
                "MISFIRE_POLICY_" + misfire.toUpperCase(Locale.ROOT).replace('-', '_')));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--misfire': '"
                + misfire
                + "' (expected fire-once, fire-all or skip)");
      }
      if (job.getMisfirePolicy() == MisfirePolicy.MISFIRE_POLICY_UNSPECIFIED) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--misfire': '"
                + misfire
                + "' (expected fire-once, fire-all or skip)");
      }
      add(paths, "misfire_policy");
    }
    if (grace != null) {
      if (grace.isNegative() || grace.isZero()) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for option '--misfire-grace': must be positive");
      }
      job.setMisfireGraceMs(grace.toMillis());
      add(paths, "misfire_grace_ms");
    }
    if (fireAllMax != null) {
      if (fireAllMax < 1) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--fire-all-max': " + fireAllMax + " is not positive");
      }
      job.setMisfireFireAllMax(fireAllMax);
      add(paths, "misfire_fire_all_max");
    }
  }

  private static void add(List<String> paths, String path) {
    if (paths != null) {
      paths.add(path);
    }
  }
}
