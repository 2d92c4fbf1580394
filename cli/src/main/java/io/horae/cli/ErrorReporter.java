package io.horae.cli;

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
 * errors (picocli's default), 1 for everything else. Stack traces only with {@code --verbose}.
 */
final class ErrorReporter implements IExecutionExceptionHandler {
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
      return e.getMessage().strip();
    }
    String message =
        e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
    return message + (root.verbose() ? "" : " (--verbose for details)");
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
