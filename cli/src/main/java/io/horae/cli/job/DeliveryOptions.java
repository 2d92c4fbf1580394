package io.horae.cli.job;

import io.horae.api.v1.Job;
import io.horae.api.v1.RetryPolicy;
import io.horae.api.v1.Target;
import io.horae.cli.common.DurationConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a job is delivered: retry policy, timeouts and trace context. Every option left out takes the
 * cluster's default (docs/delivery.md); the server checks ranges and names the field.
 */
final class DeliveryOptions {
  static final double MULTIPLIER_MAX = 10;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--max-attempts",
      paramLabel = "N",
      description = "Attempts in all, the first included (default: the cluster's).")
  Integer maxAttempts;

  @Option(
      names = "--initial-backoff",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Backoff cap before the second attempt, e.g. 1s.")
  Duration initialBackoff;

  @Option(
      names = "--max-backoff",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Largest wait between attempts, e.g. 5m.")
  Duration maxBackoff;

  @Option(
      names = "--backoff-multiplier",
      paramLabel = "X",
      description = "Growth of the backoff cap per attempt, 1 to 10 (e.g. 2 or 1.5).")
  Double multiplier;

  @Option(
      names = "--retry-deadline",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "No attempt starts later than this after the scheduled time, e.g. 1h.")
  Duration retryDeadline;

  @Option(
      names = "--retry-on",
      paramLabel = "STATUS",
      split = ",",
      description =
          "HTTP statuses to retry (besides connect errors and timeouts), e.g. 429,503; replaces the cluster's list.")
  List<Integer> retryOn = new ArrayList<>();

  @Option(
      names = "--delivery-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Whole attempt, connect to last byte read (default: the cluster's).")
  Duration timeout;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Connect (TCP and TLS) part of an attempt.")
  Duration connectTimeout;

  @Option(
      names = "--traceparent",
      paramLabel = "HEADER",
      description = "W3C traceparent whose trace the deliveries continue.")
  String traceparent;

  /** Puts the given options into the job and its target; checks what picocli cannot. */
  void applyTo(Job.Builder job, Target.Builder target) {
    if (maxAttempts != null && maxAttempts < 1) {
      throw usage(
          "Invalid value for option '--max-attempts': " + maxAttempts + " is not at least 1");
    }
    if (multiplier != null
        && (multiplier.isNaN() || multiplier < 1 || multiplier > MULTIPLIER_MAX)) {
      throw usage(
          "Invalid value for option '--backoff-multiplier': "
              + multiplier
              + " is not between 1 and "
              + MULTIPLIER_MAX);
    }
    RetryPolicy.Builder retry = RetryPolicy.newBuilder();
    if (maxAttempts != null) {
      retry.setMaxAttempts(maxAttempts);
    }
    if (initialBackoff != null) {
      retry.setInitialBackoffMs(positiveMillis("--initial-backoff", initialBackoff));
    }
    if (maxBackoff != null) {
      retry.setMaxBackoffMs(positiveMillis("--max-backoff", maxBackoff));
    }
    if (multiplier != null) {
      retry.setMultiplier(multiplier);
    }
    if (retryDeadline != null) {
      retry.setRetryDeadlineMs(positiveMillis("--retry-deadline", retryDeadline));
    }
    retry.addAllRetryStatuses(retryOn);
    if (!retry.build().equals(RetryPolicy.getDefaultInstance())) {
      job.setRetry(retry);
    }
    if (timeout != null) {
      target.setTimeoutMs(positiveMillis("--delivery-timeout", timeout));
    }
    if (connectTimeout != null) {
      target.setConnectTimeoutMs(positiveMillis("--connect-timeout", connectTimeout));
    }
    if (traceparent != null) {
      job.setTraceparent(traceparent);
    }
  }

  private long positiveMillis(String option, Duration d) {
    if (d.isZero() || d.isNegative()) {
      throw usage("Invalid value for option '" + option + "': must be more than 0");
    }
    return d.toMillis();
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
