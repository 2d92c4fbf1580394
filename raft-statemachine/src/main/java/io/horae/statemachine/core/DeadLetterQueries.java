package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.internal.v1.ListDeadQuery;
import io.horae.internal.v1.QueryResult;

/** Read-only answers about dead letters from one replica's state. */
public final class DeadLetterQueries {
  private DeadLetterQueries() {}

  /**
   * Dead letters of the query's namespace in dead-index order (time of death, then id), within its
   * time range, after its resume position, that pass its job and HTTP status filters. Stops after
   * {@code limit} matches or {@code scanMax} examined entries, whichever comes first; then {@code
   * more} is set and the resume position is the last entry examined, so a sparse filter costs
   * bounded work per page.
   */
  public static QueryResult list(StoreReader reader, ListDeadQuery q) {
    String ns = q.getNamespace();
    // A resume position before the range (a token reused with a later dead_from_ms) starts at the
    // range.
    byte[] from =
        q.getAfterId().isEmpty() || q.getAfterDeadMs() < q.getDeadFromMs()
            ? Keys.deadFrom(ns, Math.max(0, q.getDeadFromMs()))
            : Keys.dead(ns, q.getAfterDeadMs(), q.getAfterId() + "\0");
    byte[] to = q.getDeadToMs() > 0 ? Keys.deadFrom(ns, q.getDeadToMs()) : Keys.deadEnd(ns);
    int limit = Math.max(1, q.getLimit());
    int scanMax = q.getScanMax() > 0 ? q.getScanMax() : limit;
    QueryResult.Builder out = QueryResult.newBuilder();
    int[] examined = {0};
    long[] lastMs = {0};
    String[] lastId = {""};
    reader.scan(
        Family.DEAD,
        from,
        to,
        scanMax + 1,
        (key, value) -> {
          if (out.getExecutionsCount() == limit || examined[0] == scanMax) {
            out.setMore(true).setResumeAfterId(lastId[0]).setResumeAfterDeadMs(lastMs[0]);
            return false;
          }
          examined[0]++;
          Execution e = Executions.parse(value);
          lastId[0] = e.getId();
          lastMs[0] = Keys.deadMillis(ns, key);
          if (matches(e, q)) {
            out.addExecutions(e);
          }
          return true;
        });
    return out.build();
  }

  private static boolean matches(Execution e, ListDeadQuery q) {
    if (!q.getJobName().isEmpty() && !q.getJobName().equals(e.getJobName())) {
      return false;
    }
    return q.getHttpStatus() == 0 || q.getHttpStatus() == e.getLastHttpStatus();
  }
}
