package io.horae.cli.apply;

import io.horae.cli.common.CommandFailure;
import java.util.List;

/** A job file that cannot be applied; the message lists the problems, one a line. */
final class JobFileException extends CommandFailure {
  private static final long serialVersionUID = 1L;

  JobFileException(String message) {
    super(message);
  }

  /** Lists the first {@code shownMax} problems and counts the rest. */
  JobFileException(List<String> problems, int shownMax) {
    super(describe(problems, shownMax));
  }

  private static String describe(List<String> problems, int shownMax) {
    StringBuilder text = new StringBuilder();
    text.append(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
        .append(" in the job file; nothing was changed:");
    problems.stream()
        .limit(shownMax)
        .forEach(p -> text.append(System.lineSeparator()).append("  ").append(p));
    if (problems.size() > shownMax) {
      text.append(System.lineSeparator())
          .append("  and ")
          .append(problems.size() - shownMax)
          .append(" more");
    }
    return text.toString();
  }
}
