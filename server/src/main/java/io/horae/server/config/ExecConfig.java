package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the executor: due scanner, window, dispatcher and result batcher (DESIGN §6, §7).
 *
 * @param lookahead how far ahead of the due time executions are taken into the window, so each
 *     fires from memory at its time
 * @param scanInterval longest pause between two scans of this node's shards
 * @param scanBatchMax most executions one scan takes into the window from one shard
 * @param windowMax most executions held in memory (waiting for their time, in flight, or with their
 *     result not yet applied); when full the node stops scanning
 * @param dispatchConcurrency most webhook requests in flight on this node
 * @param dispatchQueueMax no longer used, kept so that existing config files still load: due
 *     executions beyond {@code dispatchConcurrency} wait in the window (bounded by {@code
 *     windowMax}), in priority order, never in the HTTP client's queue (docs/delivery.md)
 * @param completeBatchMax most results in one Complete command
 * @param resultLinger how long a result waits for others to share its Complete (0: none); a Raft
 *     entry costs every node the same work however few results it carries, so at a steady rate a
 *     few milliseconds here save most of the cluster's CPU per delivery (docs/bench.md). It delays
 *     only the recording of a result, never a delivery.
 * @param deliveryTimeout deadline of one webhook request, connect to last byte
 * @param maxRequestsPerHost most webhook requests in flight to one target host
 *     (scheme://host:port), held by the host guard's own permit (docs/host-protection.md)
 * @param retryMaxAttempts default attempts per execution, the first included
 * @param retryInitialBackoff default wait before the second attempt
 * @param retryMaxBackoff default cap of the exponential backoff
 * @param misfireGrace default lateness after which a missed execution counts as misfired
 * @param connectTimeout default connect timeout (TCP and TLS) of one webhook request
 * @param retryMultiplier default growth of the backoff per attempt
 * @param retryDeadline default time after the scheduled time after which no attempt starts
 * @param retryStatuses default HTTP statuses that are retried (besides connect errors and timeouts)
 * @param responseExcerptMax most bytes of a response body read and kept with the attempt
 * @param attemptHistoryMax most attempts kept in an execution's history
 * @param virtualHttpThreads whether webhook requests run on virtual threads (JDK 24 and later)
 *     instead of a pool of platform threads. On by default since 2026-12-06: in bursts it cut the
 *     nodes' CPU per delivery by 14-43 %, and steady lateness was no worse (docs/bench.md, "The
 *     fence race behind the revert, and virtual threads back")
 * @param idleConnectionTimeout how long a webhook connection may stay idle in the pool before it is
 *     closed; shorter than receivers' own keep-alive timeouts (5 s in Node.js and Apache httpd), so
 *     that no call goes out on a connection the receiver closed without a word (docs/delivery.md)
 */
public record ExecConfig(
    Duration lookahead,
    Duration scanInterval,
    int scanBatchMax,
    int windowMax,
    int dispatchConcurrency,
    int dispatchQueueMax,
    int completeBatchMax,
    Duration resultLinger,
    Duration deliveryTimeout,
    int maxRequestsPerHost,
    int retryMaxAttempts,
    Duration retryInitialBackoff,
    Duration retryMaxBackoff,
    Duration misfireGrace,
    Duration connectTimeout,
    double retryMultiplier,
    Duration retryDeadline,
    StatusSet retryStatuses,
    int responseExcerptMax,
    int attemptHistoryMax,
    boolean virtualHttpThreads,
    Duration idleConnectionTimeout) {

  public static final Duration LOOKAHEAD_DEFAULT = Duration.ofSeconds(5);
  public static final Duration SCAN_INTERVAL_DEFAULT = Duration.ofMillis(250);
  public static final int SCAN_BATCH_MAX_DEFAULT = 500;
  public static final int WINDOW_MAX_DEFAULT = 20_000;
  public static final int DISPATCH_CONCURRENCY_DEFAULT = 256;
  public static final int DISPATCH_QUEUE_MAX_DEFAULT = 20_000;
  public static final int COMPLETE_BATCH_MAX_DEFAULT = 500;
  public static final Duration RESULT_LINGER_DEFAULT = Duration.ofMillis(10);
  public static final Duration DELIVERY_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
  public static final int MAX_REQUESTS_PER_HOST_DEFAULT = 64;
  public static final int RETRY_MAX_ATTEMPTS_DEFAULT = 3;
  public static final Duration RETRY_INITIAL_BACKOFF_DEFAULT = Duration.ofSeconds(1);
  public static final Duration RETRY_MAX_BACKOFF_DEFAULT = Duration.ofMinutes(5);
  public static final Duration MISFIRE_GRACE_DEFAULT = Duration.ofSeconds(60);
  public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(5);
  public static final double RETRY_MULTIPLIER_DEFAULT = 2.0;
  public static final Duration RETRY_DEADLINE_DEFAULT = Duration.ofHours(24);
  public static final StatusSet RETRY_STATUSES_DEFAULT = StatusSet.parse("408,425,429,500-599");
  public static final int RESPONSE_EXCERPT_MAX_DEFAULT = 1024;
  public static final int ATTEMPT_HISTORY_MAX_DEFAULT = 20;
  public static final boolean VIRTUAL_HTTP_THREADS_DEFAULT = true;
  public static final Duration IDLE_CONNECTION_TIMEOUT_DEFAULT = Duration.ofSeconds(4);

  public ExecConfig {
    Objects.requireNonNull(lookahead, "lookahead");
    Objects.requireNonNull(scanInterval, "scanInterval");
    Objects.requireNonNull(resultLinger, "resultLinger");
    Objects.requireNonNull(deliveryTimeout, "deliveryTimeout");
    Objects.requireNonNull(retryInitialBackoff, "retryInitialBackoff");
    Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff");
    Objects.requireNonNull(misfireGrace, "misfireGrace");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(retryDeadline, "retryDeadline");
    Objects.requireNonNull(retryStatuses, "retryStatuses");
    Objects.requireNonNull(idleConnectionTimeout, "idleConnectionTimeout");
  }
}
