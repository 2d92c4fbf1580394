package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the public gRPC API.
 *
 * @param pageSizeDefault page size of list calls that give none
 * @param pageSizeMax largest page size a list call may ask for
 * @param bodyBytesMax largest webhook body a job may carry
 * @param headersMax most webhook headers a job may carry
 * @param headerBytesMax most bytes of all webhook header names and values of a job together
 * @param pastTolerance how far in the past an {@code at} schedule may lie and still be accepted
 *     (clock skew between client and node)
 * @param intervalMin shortest {@code every} interval
 * @param requestIdTtl how long a client request id is remembered, so that a repeated create,
 *     delete, update or manual run gets its first answer
 * @param executionScanMax most stored executions one ListExecutions page examines (filters that
 *     match little return short pages with a token rather than scanning without end)
 * @param watchStreamsMax most WatchExecutions streams one node serves at once
 * @param watchQueueMax events buffered per watch stream; a watcher further behind is ended
 * @param watchStreamsPerClientMax most of those streams one client holds at once: one principal
 *     when auth is on, else one IP address ({@code CallerIdentity}); past it, RESOURCE_EXHAUSTED
 * @param deadLetterBatchMax most dead letters one ReplayDeadLetters or PurgeDeadLetters call names
 *     or selects (one Raft op); ListDeadLetters pages examine at most executionScanMax
 * @param createBatchMax most jobs one CreateJobs call may carry
 * @param admissionLateness how far behind its due work a shard owner may fall before creates are
 *     shed: from half of it a growing share of CreateJob and CreateJobs calls is refused with
 *     RESOURCE_EXHAUSTED (reason CLUSTER_BEHIND), at it every one; 0 never sheds (docs/delivery.md,
 *     "Admission")
 * @param executorThreads threads that run the public API's calls; 0: one per processor. The calls
 *     do not block, so a few threads that take the next call themselves cost less than a thread
 *     handed each call (ClusterService calls, which may block, run on threads of their own)
 */
public record ApiConfig(
    int pageSizeDefault,
    int pageSizeMax,
    int bodyBytesMax,
    int headersMax,
    int headerBytesMax,
    Duration pastTolerance,
    Duration intervalMin,
    Duration requestIdTtl,
    int executionScanMax,
    int watchStreamsMax,
    int watchQueueMax,
    int deadLetterBatchMax,
    int createBatchMax,
    int watchStreamsPerClientMax,
    Duration admissionLateness,
    int executorThreads) {

  public static final int PAGE_SIZE_DEFAULT_DEFAULT = 100;
  public static final int PAGE_SIZE_MAX_DEFAULT = 1_000;
  public static final int BODY_BYTES_MAX_DEFAULT = 64 * 1024;
  public static final int HEADERS_MAX_DEFAULT = 32;
  public static final int HEADER_BYTES_MAX_DEFAULT = 8 * 1024;
  public static final Duration PAST_TOLERANCE_DEFAULT = Duration.ofSeconds(5);
  public static final Duration INTERVAL_MIN_DEFAULT = Duration.ofSeconds(1);
  public static final Duration REQUEST_ID_TTL_DEFAULT = Duration.ofHours(24);
  public static final int EXECUTION_SCAN_MAX_DEFAULT = 10_000;
  public static final int WATCH_STREAMS_MAX_DEFAULT = 64;
  public static final int WATCH_QUEUE_MAX_DEFAULT = 1024;

  /** A dashboard or CLI watches a few jobs; one client cannot take every stream of a node. */
  public static final int WATCH_STREAMS_PER_CLIENT_MAX_DEFAULT = 16;

  /** About 100 KiB of ids in one Raft op at the longest ids. */
  public static final int DEAD_LETTER_BATCH_MAX_DEFAULT = 500;

  /** About 1 MiB of jobs at a typical 1 KiB each: a few Raft entries. */
  public static final int CREATE_BATCH_MAX_DEFAULT = 1_000;

  /**
   * Well above a healthy owner's lateness (p99 tens of ms at capacity) and a GC pause, well below
   * the seconds a backlog grows by when creates outrun deliveries.
   */
  public static final Duration ADMISSION_LATENESS_DEFAULT = Duration.ofSeconds(2);

  /** One thread per processor. */
  public static final int EXECUTOR_THREADS_DEFAULT = 0;

  public ApiConfig {
    Objects.requireNonNull(admissionLateness, "admissionLateness");
    Objects.requireNonNull(pastTolerance, "pastTolerance");
    Objects.requireNonNull(intervalMin, "intervalMin");
    Objects.requireNonNull(requestIdTtl, "requestIdTtl");
  }
}
