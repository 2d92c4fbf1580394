package io.horae.server.api;

import io.horae.api.v1.Job;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Target;
import io.horae.server.exec.TraceContext;
import io.horae.statemachine.core.schedule.Violation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks how a job is delivered: retry policy, timeouts and trace context. */
final class DeliveryPolicyCheck {
  static final int ATTEMPTS_MAX = 100;
  static final long TIMEOUT_MILLIS_MAX = 300_000;
  static final double MULTIPLIER_MAX = 10;
  static final int RETRY_STATUSES_MAX = 64;
  static final long BACKOFF_MILLIS_MAX = 7L * 24 * 3600 * 1000;
  static final long RETRY_DEADLINE_MILLIS_MAX = 30L * 24 * 3600 * 1000;

  private DeliveryPolicyCheck() {}

  static void check(List<Violation> v, Job job) {
    checkRetry(v, job.getRetry());
    if (job.hasTarget()) {
      checkTimeouts(v, job.getTarget());
    }
    if (!job.getTraceparent().isEmpty() && TraceContext.parse(job.getTraceparent()).isEmpty()) {
      v.add(
          new Violation(
              "job.traceparent",
              "must be a W3C traceparent: 00-<32 hex>-<16 hex>-<2 hex>, lower case, ids not all zero"));
    }
  }

  private static void checkTimeouts(List<Violation> v, Target t) {
    if (t.getTimeoutMs() < 0 || t.getTimeoutMs() > TIMEOUT_MILLIS_MAX) {
      v.add(
          new Violation(
              "job.target.timeout_ms",
              "must be between 0 (node default) and " + TIMEOUT_MILLIS_MAX));
    }
    if (t.getConnectTimeoutMs() < 0 || t.getConnectTimeoutMs() > TIMEOUT_MILLIS_MAX) {
      v.add(
          new Violation(
              "job.target.connect_timeout_ms",
              "must be between 0 (node default) and " + TIMEOUT_MILLIS_MAX));
    } else if (t.getTimeoutMs() > 0 && t.getConnectTimeoutMs() > t.getTimeoutMs()) {
      v.add(
          new Violation(
              "job.target.connect_timeout_ms",
              "must not exceed timeout_ms, which bounds the whole attempt"));
    }
  }

  private static void checkRetry(List<Violation> v, RetryPolicy r) {
    if (r.getMaxAttempts() < 0 || r.getMaxAttempts() > ATTEMPTS_MAX) {
      v.add(
          new Violation(
              "job.retry.max_attempts", "must be between 0 (node default) and " + ATTEMPTS_MAX));
    }
    if (r.getInitialBackoffMs() < 0 || r.getInitialBackoffMs() > BACKOFF_MILLIS_MAX) {
      v.add(
          new Violation(
              "job.retry.initial_backoff_ms",
              "must be between 0 (node default) and " + BACKOFF_MILLIS_MAX));
    }
    if (r.getMaxBackoffMs() < 0 || r.getMaxBackoffMs() > BACKOFF_MILLIS_MAX) {
      v.add(
          new Violation(
              "job.retry.max_backoff_ms",
              "must be between 0 (node default) and " + BACKOFF_MILLIS_MAX));
    }
    if (r.getInitialBackoffMs() > 0
        && r.getMaxBackoffMs() > 0
        && r.getInitialBackoffMs() > r.getMaxBackoffMs()) {
      v.add(new Violation("job.retry.initial_backoff_ms", "must not exceed max_backoff_ms"));
    }
    double m = r.getMultiplier();
    if (Double.isNaN(m) || (m != 0 && (m < 1 || m > MULTIPLIER_MAX))) {
      v.add(
          new Violation(
              "job.retry.multiplier",
              "must be 0 (node default) or between 1 and " + MULTIPLIER_MAX));
    }
    if (r.getRetryDeadlineMs() < 0 || r.getRetryDeadlineMs() > RETRY_DEADLINE_MILLIS_MAX) {
      v.add(
          new Violation(
              "job.retry.retry_deadline_ms",
              "must be between 0 (node default) and " + RETRY_DEADLINE_MILLIS_MAX));
    }
    if (r.getRetryStatusesCount() > RETRY_STATUSES_MAX) {
      v.add(
          new Violation(
              "job.retry.retry_statuses",
              "at most " + RETRY_STATUSES_MAX + " statuses are allowed"));
    }
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < r.getRetryStatusesCount(); i++) {
      int s = r.getRetryStatuses(i);
      if (s < 400 || s > 599) {
        v.add(
            new Violation(
                "job.retry.retry_statuses[" + i + "]", "must be a 4xx or 5xx status, got " + s));
      } else if (s == 410) {
        v.add(
            new Violation(
                "job.retry.retry_statuses[" + i + "]",
                "410 Gone is never retried: it pauses a recurring job"));
      } else if (!seen.add(s)) {
        v.add(new Violation("job.retry.retry_statuses[" + i + "]", "repeats " + s));
      }
    }
  }
}
