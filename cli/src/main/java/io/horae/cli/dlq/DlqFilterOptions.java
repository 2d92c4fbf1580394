package io.horae.cli.dlq;

import io.horae.api.v1.DeadLetterFilter;
import io.horae.cli.common.InstantConverter;
import java.time.Instant;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The filter flags shared by {@code dlq ls}, {@code replay} and {@code purge}. */
final class DlqFilterOptions {
  @Option(names = "--job", paramLabel = "NAME", description = "Only this job's dead letters.")
  String job = "";

  @Option(
      names = "--from",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Died at or after this ISO-8601 time.")
  Instant from;

  @Option(
      names = "--to",
      paramLabel = "TIME",
      converter = InstantConverter.class,
      description = "Died before this ISO-8601 time.")
  Instant to;

  @Option(
      names = "--http-status",
      paramLabel = "CODE",
      description = "Only those whose last attempt got this HTTP status (100..599).")
  Integer httpStatus;

  /** Whether any filter flag was given. */
  boolean any() {
    return !job.isEmpty() || from != null || to != null || httpStatus != null;
  }

  /**
   * The filter for {@code namespace}.
   *
   * @throws ParameterException naming the flag when a value is out of range
   */
  DeadLetterFilter filter(CommandSpec spec, String namespace) {
    if (from != null && to != null && !to.isAfter(from)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--to': " + to + " is not after --from " + from);
    }
    if (httpStatus != null && (httpStatus < 100 || httpStatus > 599)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--http-status': "
              + httpStatus
              + " is not between 100 and 599");
    }
    DeadLetterFilter.Builder f =
        DeadLetterFilter.newBuilder().setNamespace(namespace).setJobName(job);
    if (from != null) {
      f.setDeadFromMs(from.toEpochMilli());
    }
    if (to != null) {
      f.setDeadToMs(to.toEpochMilli());
    }
    if (httpStatus != null) {
      f.setHttpStatus(httpStatus);
    }
    return f.build();
  }
}
