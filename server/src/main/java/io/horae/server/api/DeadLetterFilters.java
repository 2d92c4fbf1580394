package io.horae.server.api;

import io.horae.api.v1.DeadLetterFilter;
import io.horae.internal.v1.ListDeadQuery;
import io.horae.internal.v1.QueryResult;
import io.horae.server.errors.ValidationException;
import io.horae.statemachine.core.schedule.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a dead-letter filter and page token at the edge and turns them into the replica query.
 * Every problem becomes one field violation; nothing is read. Page tokens carry the dead-index
 * position of the last entry examined: "&lt;deadMillis&gt; &lt;executionId&gt;" (ids contain no
 * spaces), opaque to callers.
 */
final class DeadLetterFilters {
  private DeadLetterFilters() {}

  /**
   * @param field the request field that holds the filter, for violation names ("filter")
   * @param limit most dead letters the query returns (already bounded by the caller)
   * @throws ValidationException naming every bad field
   */
  static ListDeadQuery query(
      String field, DeadLetterFilter f, String pageToken, int limit, int scanMax) {
    String ns = ExecutionFilters.namespace(f.getNamespace());
    List<Violation> v = new ArrayList<>();
    for (Violation scope : ExecutionFilters.checkScope(ns, f.getJobName())) {
      v.add(new Violation(field + "." + scope.field(), scope.description()));
    }
    long from = f.getDeadFromMs();
    long to = f.getDeadToMs();
    if (from < 0) {
      v.add(
          new Violation(field + ".dead_from_ms", "must not be negative (0 leaves the range open)"));
    }
    if (to < 0) {
      v.add(new Violation(field + ".dead_to_ms", "must not be negative (0 leaves the range open)"));
    } else if (to > 0 && to <= from) {
      v.add(
          new Violation(
              field + ".dead_to_ms",
              "must be after dead_from_ms (" + from + "); the range is [from, to)"));
    }
    int status = f.getHttpStatus();
    if (status != 0 && (status < 100 || status > 599)) {
      v.add(new Violation(field + ".http_status", "must be 100..599, or 0 for any; got " + status));
    }
    ListDeadQuery.Builder q =
        ListDeadQuery.newBuilder()
            .setNamespace(ns)
            .setJobName(f.getJobName())
            .setDeadFromMs(Math.max(0, from))
            .setDeadToMs(Math.max(0, to))
            .setHttpStatus(status)
            .setLimit(limit)
            .setScanMax(scanMax);
    try {
      resumeAt(q, PageTokens.decode(pageToken), ns);
    } catch (ValidationException e) {
      v.addAll(e.violations());
    }
    if (!v.isEmpty()) {
      throw new ValidationException(v);
    }
    return q.build();
  }

  /** The token that resumes after this result, or empty when nothing follows. */
  static String nextToken(QueryResult r) {
    return r.getMore()
        ? PageTokens.encode(r.getResumeAfterDeadMs() + " " + r.getResumeAfterId())
        : "";
  }

  /** Sets the resume position from a decoded token ("" for none). */
  private static void resumeAt(ListDeadQuery.Builder q, String position, String ns) {
    if (position.isEmpty()) {
      return;
    }
    int space = position.indexOf(' ');
    String id = space < 0 ? "" : position.substring(space + 1);
    long deadMs = -1;
    try {
      deadMs = space < 0 ? -1 : Long.parseLong(position.substring(0, space));
    } catch (NumberFormatException e) {
      // reported below
    }
    if (deadMs < 0 || !ExecutionIdCheck.check("page_token", id).isEmpty()) {
      throw new ValidationException(
          List.of(new Violation("page_token", "is not a token returned by this API")));
    }
    if (!id.startsWith(ns + "/")) {
      throw new ValidationException(
          List.of(
              new Violation("page_token", "belongs to another listing (the namespace differs)")));
    }
    q.setAfterDeadMs(deadMs).setAfterId(id);
  }
}
