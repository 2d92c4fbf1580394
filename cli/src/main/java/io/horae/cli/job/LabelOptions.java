package io.horae.cli.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --label KEY=VALUE} (repeatable) and {@code --keep-last N} of job create and update. */
final class LabelOptions {
  @Option(
      names = {"--label"},
      paramLabel = "KEY=VALUE",
      description =
          "Label for finding the job (job ls -l KEY=VALUE); repeatable. On update, the given labels replace all.")
  List<String> labels;

  @Option(
      names = "--keep-last",
      paramLabel = "N",
      description =
          "Keep at most N finished executions of the job (0: no count limit; the history TTL still applies).")
  Integer keepLast;

  /** The labels given, in order; null when no --label was given. Checks the KEY=VALUE form. */
  Map<String, String> labels(CommandSpec spec) {
    if (labels == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String item : labels) {
      int eq = item.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--label': '" + item + "' is not KEY=VALUE");
      }
      if (out.put(item.substring(0, eq), item.substring(eq + 1)) != null) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--label': key '"
                + item.substring(0, eq)
                + "' is given twice");
      }
    }
    return out;
  }

  Integer keepLast(CommandSpec spec) {
    if (keepLast != null && keepLast < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--keep-last': " + keepLast + " is negative");
    }
    return keepLast;
  }
}
