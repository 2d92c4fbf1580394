package io.horae.cli.exec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionEvent;
import io.horae.api.v1.ExecutionEventKind;
import io.horae.api.v1.ExecutionStatus;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.TablePrinter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** How executions are shown: a table for people, proto JSON for programs. */
public final class ExecView {
  /** Longest last error shown in a table cell; JSON carries it whole. */
  static final int ERROR_CHARS_MAX = 60;

  private static final JsonFormat.Printer ONE_LINE =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private ExecView() {}

  public static void printExecution(Execution e, OutputFormat format, PrintWriter out) {
    if (format == OutputFormat.JSON) {
      JsonOutput.print(e, out);
    } else {
      printTable(List.of(e), out);
      printAttempts(e, out);
    }
  }

  /** The attempt history under an execution: one row per attempt, oldest first. */
  static void printAttempts(Execution e, PrintWriter out) {
    if (e.getAttemptsCount() == 0) {
      return;
    }
    out.println();
    TablePrinter table = new TablePrinter("#", "NODE", "STARTED", "LATENCY", "RESULT", "RESPONSE");
    for (io.horae.api.v1.Attempt a : e.getAttemptsList()) {
      String result =
          a.getErrorClass().isEmpty()
              ? "HTTP " + a.getHttpStatus()
              : a.getErrorClass()
                  + (a.getHttpStatus() > 0 ? " after HTTP " + a.getHttpStatus() : "");
      table.row(
          a.getNumber(),
          a.getNode(),
          Instant.ofEpochMilli(a.getStartedMs()),
          a.getLatencyMs() + "ms",
          result,
          excerpt(a.getResponseExcerpt().toStringUtf8()));
    }
    table.print(out);
    if (!e.getTraceId().isEmpty()) {
      out.println("trace " + e.getTraceId());
    }
  }

  /** The start of a response body on one line, control characters replaced. */
  static String excerpt(String body) {
    String flat = body.replaceAll("\\p{Cntrl}", " ").strip();
    if (flat.isEmpty()) {
      return "-";
    }
    return flat.length() <= ERROR_CHARS_MAX ? flat : flat.substring(0, ERROR_CHARS_MAX) + "...";
  }

  /** ID, STATUS, SCHEDULED, ATTEMPTS, OWNER, LAST RESULT. */
  static void printTable(List<Execution> executions, PrintWriter out) {
    TablePrinter table =
        new TablePrinter("ID", "STATUS", "SCHEDULED", "ATTEMPTS", "OWNER", "LAST RESULT");
    for (Execution e : executions) {
      table.row(
          e.getId(),
          status(e.getStatus()),
          Instant.ofEpochMilli(e.getScheduledMs()),
          e.getAttempt(),
          owner(e),
          lastResult(e));
    }
    table.print(out);
  }

  /** One line per event: JSON, or "index kind id status attempts owner". */
  static void printEvent(ExecutionEvent event, OutputFormat format, PrintWriter out) {
    if (format == OutputFormat.JSON) {
      try {
        out.println(ONE_LINE.print(event));
      } catch (InvalidProtocolBufferException e) {
        throw new UncheckedIOException(e);
      }
    } else {
      Execution e = event.getExecution();
      out.printf(
          "%d  %s  %s  %s  attempts=%d  owner=%s%n",
          event.getAppliedIndex(),
          kind(event.getKind()),
          e.getId(),
          status(e.getStatus()),
          e.getAttempt(),
          owner(e));
    }
    out.flush();
  }

  /**
   * The node that held a claim (records of the first version only), else the shard's current owner,
   * else "-".
   */
  static String owner(Execution e) {
    if (!e.getClaimNode().isEmpty()) {
      return e.getClaimNode() + " (epoch " + e.getClaimEpoch() + ")";
    }
    return e.getShardOwner().isEmpty() ? "-" : e.getShardOwner();
  }

  static String lastResult(Execution e) {
    if (e.getLastHttpStatus() > 0) {
      return "HTTP " + e.getLastHttpStatus() + " in " + e.getLastLatencyMs() + "ms";
    }
    String error = e.getLastError();
    if (error.isEmpty()) {
      return "-";
    }
    return error.length() <= ERROR_CHARS_MAX ? error : error.substring(0, ERROR_CHARS_MAX) + "...";
  }

  static String status(ExecutionStatus s) {
    return s == ExecutionStatus.UNRECOGNIZED
        ? "UNKNOWN"
        : s.name().replaceFirst("^EXECUTION_STATUS_", "");
  }

  static String kind(ExecutionEventKind k) {
    return k == ExecutionEventKind.UNRECOGNIZED
        ? "UNKNOWN"
        : k.name().replaceFirst("^EXECUTION_EVENT_KIND_", "");
  }
}
