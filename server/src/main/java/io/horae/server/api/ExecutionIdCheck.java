package io.horae.server.api;

import io.horae.server.errors.Echo;
import io.horae.statemachine.core.schedule.Violation;
import java.util.List;

/**
 * Checks an execution id at the edge: {@code <namespace>/<name>@<scheduledMillis>} with a valid
 * namespace and job name and a positive decimal time without leading zeros, then ".m" for a manual
 * run and ".c" per chain link (the forms the state machine writes, so a well-formed id that is
 * absent is NOT_FOUND, not a different spelling).
 */
final class ExecutionIdCheck {
  /** Longest id: namespace 64 + "/" + name 128 + "@" + 19 digits + ".m" + ".c" per chain link. */
  static final int ID_CHARS_MAX = 64 + 1 + 128 + 1 + 19 + 2 + 2 * 10;

  private static final String FORM =
      "must be <namespace>/<job name>@<scheduled epoch millis>[.m][.c...]";

  private ExecutionIdCheck() {}

  static List<Violation> check(String field, String id) {
    if (id.isEmpty()) {
      return List.of(new Violation(field, "is required"));
    }
    if (id.length() > ID_CHARS_MAX) {
      return List.of(new Violation(field, "is longer than " + ID_CHARS_MAX + " characters"));
    }
    int slash = id.indexOf('/');
    int at = id.lastIndexOf('@');
    if (slash <= 0 || at <= slash + 1 || at == id.length() - 1) {
      return List.of(new Violation(field, FORM + ", got '" + Echo.value(id) + "'"));
    }
    String namespace = id.substring(0, slash);
    String name = id.substring(slash + 1, at);
    String millis = id.substring(at + 1).replaceFirst("(\\.m)?(\\.c)*$", "");
    if (!JobValidator.NAMESPACE.matcher(namespace).matches()) {
      return List.of(
          new Violation(
              field, "namespace '" + Echo.value(namespace) + "' is not a valid namespace"));
    }
    if (!JobValidator.NAME.matcher(name).matches()) {
      return List.of(
          new Violation(field, "job name '" + Echo.value(name) + "' is not a valid job name"));
    }
    if (!millis.matches("[1-9][0-9]{0,18}")) {
      return List.of(
          new Violation(
              field,
              FORM + "; '" + Echo.value(millis) + "' is not a positive number of milliseconds"));
    }
    try {
      Long.parseLong(millis);
    } catch (NumberFormatException e) {
      return List.of(
          new Violation(field, "scheduled time '" + Echo.value(millis) + "' is out of range"));
    }
    return List.of();
  }
}
