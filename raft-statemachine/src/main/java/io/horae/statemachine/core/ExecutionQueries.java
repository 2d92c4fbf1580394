package io.horae.statemachine.core;

import io.horae.api.v1.Execution;
import io.horae.api.v1.ExecutionStatus;
import io.horae.internal.v1.ListExecutionsQuery;
import io.horae.internal.v1.QueryResult;
import java.util.EnumSet;
import java.util.Set;

/** Read-only answers about executions from one replica's state. */
public final class ExecutionQueries {
  private ExecutionQueries() {}

  /** The execution (if any) and, when it has one still stored, its job. */
  public static QueryResult get(StoreReader reader, String id) {
    QueryResult.Builder out = QueryResult.newBuilder();
    byte[] bytes = reader.get(Family.EXECUTIONS, Keys.execution(id));
    if (bytes == null) {
      return out.build();
    }
    Execution e = Executions.parse(bytes);
    out.addExecutions(e);
    QueryResult job = Queries.getJob(reader, e.getNamespace(), e.getJobName());
    out.addAllJobs(job.getJobsList());
    return out.build();
  }

  /**
   * Executions whose id starts with the prefix, after {@code afterId}, in id order, that pass the
   * filters. Stops after {@code limit} matches or {@code scanMax} examined records, whichever comes
   * first; then {@code more} is set and {@code resumeAfterId} is the last id examined, so a sparse
   * filter costs bounded work per page instead of a scan of the whole history.
   */
  public static QueryResult list(StoreReader reader, ListExecutionsQuery q) {
    byte[] prefix = Keys.execution(q.getPrefix());
    byte[] from = q.getAfterId().isEmpty() ? prefix : Keys.execution(q.getAfterId() + "\0");
    int limit = Math.max(1, q.getLimit());
    int scanMax = q.getScanMax() > 0 ? q.getScanMax() : limit;
    Set<ExecutionStatus> statuses =
        q.getStatusesList().isEmpty() ? null : EnumSet.copyOf(q.getStatusesList());
    QueryResult.Builder out = QueryResult.newBuilder();
    int[] examined = {0};
    String[] lastId = {""};
    reader.scan(
        Family.EXECUTIONS,
        from,
        Keys.prefixEnd(prefix),
        scanMax + 1,
        (key, value) -> {
          if (out.getExecutionsCount() == limit || examined[0] == scanMax) {
            out.setMore(true).setResumeAfterId(lastId[0]);
            return false;
          }
          examined[0]++;
          Execution e = Executions.parse(value);
          lastId[0] = e.getId();
          if (matches(e, q, statuses)) {
            out.addExecutions(e);
          }
          return true;
        });
    return out.build();
  }

  private static boolean matches(
      Execution e, ListExecutionsQuery q, Set<ExecutionStatus> statuses) {
    if (statuses != null && !statuses.contains(e.getStatus())) {
      return false;
    }
    if (q.getScheduledFromMs() > 0 && e.getScheduledMs() < q.getScheduledFromMs()) {
      return false;
    }
    return q.getScheduledToMs() <= 0 || e.getScheduledMs() < q.getScheduledToMs();
  }
}
