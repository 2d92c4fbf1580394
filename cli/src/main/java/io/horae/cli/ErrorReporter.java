package io.horae.cli;

import io.horae.cli.common.CommandFailure;
import io.horae.cli.common.Durations;
import io.horae.cli.common.Invocation;
import io.horae.client.HoraeException;
import io.horae.client.UnavailableException;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one line on stderr, {@code horae: <what>}, and an exit code: 2 for usage
 * errors (picocli's default), 1 for everything else. Stack traces only with {@code --verbose}. A
 * message never passes control characters to the terminal and never echoes a huge value whole.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
  /** Longest line of an error message; longer ones (a huge value quoted) are cut. */
  static final int LINE_CHARS_MAX = 400;

  private final HoraeCommand root;

  ErrorReporter(HoraeCommand root) {
    this.root = root;
  }

  /** Handles a usage error: the message names the flag; a hint at --help follows. */
  static int usageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println("horae: " + oneLine(e.getMessage()).replaceFirst("^Error: ", ""));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println(
        "Try '" + commandLine.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parseResult) {
    if (e instanceof Invocation.StdinUnavailable) {
      // Not the user's error, and nothing to print: the daemon's caller runs the command itself.
      return Invocation.StdinUnavailable.EXIT_CODE;
    }
    PrintWriter err = commandLine.getErr();
    err.println("horae: " + describe(e));
    if (root.verbose()) {
      e.printStackTrace(err);
    }
    err.flush();
    return commandLine.getCommandSpec().exitCodeOnExecutionException();
  }

  private String describe(Exception e) {
    if (e instanceof UnavailableException) {
      return "cannot reach any endpoint (" + root.endpoints() + "): " + oneLine(e.getMessage());
    }
    if (e instanceof HoraeException h) {
      String text =
          h.code().name().toLowerCase(Locale.ROOT).replace('_', ' ')
              + ": "
              + oneLine(h.getMessage());
      return h.retryAfter()
          .map(d -> text + " (retry after " + Durations.format(d) + ")")
          .orElse(text);
    }
    if (e instanceof CommandFailure) {
      // May span lines: one per problem found (a job file with several bad documents).
      return String.join(
          "\n", e.getMessage().strip().lines().map(ErrorReporter::printable).toList());
    }
    String message =
        e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
    return message + (root.verbose() ? "" : " (--verbose for details)");
  }

  private static String oneLine(String text) {
    return text == null ? "" : printable(text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " "));
  }

  /**
   * {@code line} as it may go to a terminal: control characters (NUL, escape sequences that would
   * move the cursor or recolour the screen) shown as {@code \\uXXXX}, and at most {@link
   * #LINE_CHARS_MAX} characters, so that a huge value is named by its start and its length rather
   * than echoed whole.
   */
  static String printable(String line) {
    StringBuilder b = new StringBuilder(Math.min(line.length(), LINE_CHARS_MAX + 32));
    int i = 0;
    for (; i < line.length() && b.length() < LINE_CHARS_MAX; i++) {
      char c = line.charAt(i);
      if (Character.isISOControl(c) && c != '\t') {
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (i < line.length()) {
      b.append("... (").append(line.length()).append(" characters)");
    }
    return b.toString();
  }
}
