package io.horae.cli.dlq;

import io.horae.api.v1.DeadLetterFilter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * What {@code dlq replay} and {@code dlq purge} work on: the ids given, or, only with the explicit
 * {@code --all-matching}, every dead letter that the filter flags match. Without either nothing is
 * selected and the command is a usage error, so a bare {@code dlq purge} never removes anything.
 */
final class DlqSelection {
  static final int LIMIT_DEFAULT = 1_000;
  static final int LIMIT_MAX = 1_000_000;

  @Parameters(
      paramLabel = "ID",
      arity = "0..*",
      description = "Execution ids, <namespace>/<job>@<scheduled millis>.")
  List<String> ids = new ArrayList<>();

  @Option(
      names = "--all-matching",
      description = "Work on every dead letter the filter flags match (required instead of IDs).")
  boolean allMatching;

  @Mixin DlqFilterOptions filters;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description =
          "With --all-matching: stop after N dead letters (1.."
              + LIMIT_MAX
              + ", default "
              + LIMIT_DEFAULT
              + ").")
  int limit = LIMIT_DEFAULT;

  /**
   * The filter with {@code --all-matching}, or null when ids were given.
   *
   * @throws ParameterException naming the flag or argument that is missing or does not fit
   */
  DeadLetterFilter check(CommandSpec spec, String verb, String namespace) {
    if (limit < 1 || limit > LIMIT_MAX) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--limit': " + limit + " is not between 1 and " + LIMIT_MAX);
    }
    if (!ids.isEmpty() && allMatching) {
      throw new ParameterException(spec.commandLine(), "give IDs or --all-matching, not both");
    }
    if (ids.isEmpty() && !allMatching) {
      throw new ParameterException(
          spec.commandLine(),
          "nothing to "
              + verb
              + ": give execution IDs, or --all-matching (with --job, --from, --to, --http-status to narrow it) to "
              + verb
              + " every dead letter of namespace "
              + namespace
              + " that matches");
    }
    if (!allMatching) {
      if (filters.any()) {
        throw new ParameterException(
            spec.commandLine(),
            "--job, --from, --to and --http-status need --all-matching; with IDs they would be ignored");
      }
      return null;
    }
    return filters.filter(spec, namespace);
  }
}
