package io.horae.cli.dlq;

import io.horae.api.v1.Attempt;
import io.horae.api.v1.Execution;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.TablePrinter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** How dead letters are shown: a table for people, proto JSON for programs. */
final class DlqView {
  /** Longest error shown in a table cell; JSON carries it whole. */
  static final int ERROR_CHARS_MAX = 60;

  private DlqView() {}

  /** ID, DIED, ATTEMPTS, LAST RESULT. */
  static void printTable(List<Execution> deadLetters, PrintWriter out) {
    TablePrinter table = new TablePrinter("ID", "DIED", "ATTEMPTS", "LAST RESULT");
    for (Execution e : deadLetters) {
      table.row(
          e.getId(),
          Instant.ofEpochMilli(e.getFinishedMs()),
          e.getAttempt(),
          result(e.getLastHttpStatus(), e.getLastLatencyMs(), e.getLastError()));
    }
    table.print(out);
  }

  /** One dead letter: its row, then its attempt history (JSON: the whole execution). */
  static void printOne(Execution e, OutputFormat format, PrintWriter out) {
    if (format == OutputFormat.JSON) {
      JsonOutput.print(e, out);
      return;
    }
    printTable(List.of(e), out);
    if (e.getAttemptsCount() == 0) {
      return;
    }
    out.println();
    TablePrinter attempts = new TablePrinter("ATTEMPT", "STARTED", "NODE", "RESULT");
    for (Attempt a : e.getAttemptsList()) {
      String error =
          a.getErrorClass().isEmpty() ? a.getError() : a.getErrorClass() + ": " + a.getError();
      attempts.row(
          a.getNumber(),
          Instant.ofEpochMilli(a.getStartedMs()),
          a.getNode(),
          result(a.getHttpStatus(), a.getLatencyMs(), error));
    }
    attempts.print(out);
  }

  private static String result(int httpStatus, long latencyMs, String error) {
    if (httpStatus > 0) {
      return "HTTP " + httpStatus + " in " + latencyMs + "ms";
    }
    if (error.isEmpty()) {
      return "-";
    }
    return error.length() <= ERROR_CHARS_MAX ? error : error.substring(0, ERROR_CHARS_MAX) + "...";
  }
}
