package io.horae.server.api;

import io.horae.api.v1.ExecutionStatus;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.internal.v1.ListExecutionsQuery;
import io.horae.server.config.ApiConfig;
import io.horae.server.errors.ValidationException;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.schedule.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the filters of ListExecutions and WatchExecutions at the edge and turns a list request
 * into the replica query. Every problem becomes one field violation; nothing is read.
 */
final class ExecutionFilters {
  private ExecutionFilters() {}

  static String namespace(String ns) {
    return ns.isEmpty() ? JobValidator.DEFAULT_NAMESPACE : ns;
  }

  /** The namespace (already defaulted) and the optional job name. */
  static List<Violation> checkScope(String ns, String jobName) {
    List<Violation> v = new ArrayList<>();
    if (!JobValidator.NAMESPACE.matcher(ns).matches()) {
      v.add(new Violation("namespace", "must match " + JobValidator.NAMESPACE.pattern()));
    }
    if (!jobName.isEmpty() && !JobValidator.NAME.matcher(jobName).matches()) {
      v.add(
          new Violation(
              "job_name",
              "must match " + JobValidator.NAME.pattern() + " (or be empty for every job)"));
    }
    return v;
  }

  /**
   * @throws ValidationException naming every bad field
   */
  static ListExecutionsQuery query(ListExecutionsRequest r, ApiConfig limits) {
    String ns = namespace(r.getNamespace());
    List<Violation> v = checkScope(ns, r.getJobName());
    for (int i = 0; i < r.getStatusesValueList().size(); i++) {
      ExecutionStatus s = ExecutionStatus.forNumber(r.getStatusesValue(i));
      if (s == null || s == ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED) {
        v.add(
            new Violation(
                "statuses[" + i + "]",
                "must be a known status other than UNSPECIFIED, got " + r.getStatusesValue(i)));
      }
    }
    long from = r.getScheduledFromMs();
    long to = r.getScheduledToMs();
    if (from < 0) {
      v.add(new Violation("scheduled_from_ms", "must not be negative (0 leaves the range open)"));
    }
    if (to < 0) {
      v.add(new Violation("scheduled_to_ms", "must not be negative (0 leaves the range open)"));
    } else if (to > 0 && to <= from) {
      v.add(
          new Violation(
              "scheduled_to_ms",
              "must be after scheduled_from_ms (" + from + "); the range is [from, to)"));
    }
    if (r.getPageSize() < 0) {
      v.add(new Violation("page_size", "must not be negative"));
    }
    String prefix = r.getJobName().isEmpty() ? ns + "/" : ExecutionIds.prefixOf(ns, r.getJobName());
    String after = "";
    try {
      after = PageTokens.decode(r.getPageToken());
      if (!after.isEmpty() && !after.startsWith(prefix)) {
        v.add(new Violation("page_token", "belongs to another listing (namespace or job differ)"));
      }
    } catch (ValidationException e) {
      v.addAll(e.violations());
    }
    if (!v.isEmpty()) {
      throw new ValidationException(v);
    }
    return ListExecutionsQuery.newBuilder()
        .setPrefix(prefix)
        .setAfterId(after)
        .setLimit(
            PageTokens.pageSize(r.getPageSize(), limits.pageSizeDefault(), limits.pageSizeMax()))
        .setScanMax(limits.executionScanMax())
        .addAllStatuses(r.getStatusesList())
        .setScheduledFromMs(from)
        .setScheduledToMs(to)
        .build();
  }
}
