package io.horae.server.api;

import io.horae.api.v1.PreviewScheduleRequest;
import io.horae.api.v1.PreviewScheduleResponse;
import io.horae.internal.v1.GetJobQuery;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.RejectCode;
import io.horae.server.config.ApiConfig;
import io.horae.server.errors.RejectedException;
import io.horae.server.errors.ValidationException;
import io.horae.server.raft.Reader;
import io.horae.statemachine.core.schedule.ScheduleMath;
import io.horae.statemachine.core.schedule.Violation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * PreviewSchedule: the next fire times of a job, read like GetJob (linearizable, from this node's
 * replica), or of a schedule checked as CreateJob checks it. Nothing is proposed; the fire times
 * come from this node's schedule math and tz database, as a create here would compute them.
 */
final class SchedulePreviews {
  /** Fires listed when the request's count is 0. */
  static final int COUNT_DEFAULT = 10;

  private final Reader reader;
  private final ApiConfig limits;
  private final Clock clock;

  SchedulePreviews(Reader reader, ApiConfig limits, Clock clock) {
    this.reader = reader;
    this.limits = limits;
    this.clock = clock;
  }

  /** The preview; throws {@link ValidationException} for bad input, fails with NOT_FOUND. */
  CompletableFuture<PreviewScheduleResponse> preview(PreviewScheduleRequest request) {
    long nowMs = clock.millis();
    String ns =
        request.getNamespace().isEmpty() ? JobValidator.DEFAULT_NAMESPACE : request.getNamespace();
    String name = request.getName();
    List<Violation> bad = check(request, ns, nowMs);
    if (!bad.isEmpty()) {
      throw new ValidationException(bad);
    }
    int count = request.getCount() == 0 ? COUNT_DEFAULT : request.getCount();
    long fromMs = request.getFromMs() == 0 ? nowMs : request.getFromMs();
    if (request.hasSchedule()) {
      return CompletableFuture.completedFuture(
          ScheduleMath.preview(
              ScheduleMath.normalize(request.getSchedule(), nowMs), fromMs, count));
    }
    return reader
        .query(
            Query.newBuilder()
                .setGetJob(GetJobQuery.newBuilder().setNamespace(ns).setName(name))
                .build())
        .thenApply(
            r -> {
              if (r.getJobsCount() == 0) {
                throw new RejectedException(
                    RejectCode.REJECT_NOT_FOUND, "job " + ns + "/" + name + " not found");
              }
              return ScheduleMath.preview(r.getJobs(0), fromMs, count);
            });
  }

  private List<Violation> check(PreviewScheduleRequest request, String ns, long nowMs) {
    List<Violation> v = new ArrayList<>();
    boolean byName = !request.getName().isEmpty();
    if (byName && request.hasSchedule()) {
      v.add(
          new Violation(
              "schedule",
              "give either name (an existing job) or schedule (to preview before creating), not both"));
    } else if (byName) {
      v.addAll(JobValidator.checkKey(ns, request.getName()));
    } else if (request.hasSchedule()) {
      // The namespace still names whose reader role the call needs: it must be a valid one.
      v.addAll(JobValidator.checkKey(ns, "x"));
      v.addAll(
          ScheduleMath.validate(
              request.getSchedule(),
              nowMs,
              limits.pastTolerance().toMillis(),
              limits.intervalMin().toMillis()));
    } else {
      v.add(
          new Violation(
              "name", "give name (an existing job) or schedule (to preview before creating)"));
    }
    int count = request.getCount();
    if (count < 0 || count > ScheduleMath.PREVIEW_COUNT_MAX) {
      v.add(
          new Violation(
              "count",
              "count "
                  + count
                  + " must be between 1 and "
                  + ScheduleMath.PREVIEW_COUNT_MAX
                  + " (0 means "
                  + COUNT_DEFAULT
                  + ")"));
    }
    long fromMs = request.getFromMs();
    if (fromMs < 0 || fromMs > ScheduleMath.TIME_MS_MAX) {
      v.add(
          new Violation(
              "from_ms",
              "from_ms " + fromMs + " must be between 0 (now) and " + ScheduleMath.TIME_MS_MAX));
    }
    return v;
  }
}
