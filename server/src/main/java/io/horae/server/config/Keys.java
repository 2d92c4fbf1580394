package io.horae.server.config;

import static io.horae.server.config.Key.ofBoolean;
import static io.horae.server.config.Key.ofBytes;
import static io.horae.server.config.Key.ofDecimal;
import static io.horae.server.config.Key.ofDuration;
import static io.horae.server.config.Key.ofInt;
import static io.horae.server.config.Key.ofIntBytes;
import static io.horae.server.config.Key.ofLong;
import static io.horae.server.config.Key.ofPattern;
import static io.horae.server.config.Key.ofRequiredPath;
import static io.horae.server.config.Key.ofStatuses;
import static io.horae.server.config.Key.ofUuid;

import io.horae.server.egress.TargetAllowlist;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every scalar config key with its default and accepted range. Peers ({@code peers.<id>.*}) are
 * keyed by id and live in {@link PeersParser}; cross-field rules live in {@link CrossRules}.
 *
 * <p>Ranges are sanity bounds: wide enough for any real deployment, narrow enough to catch a
 * slipped unit (seconds typed as milliseconds) or a missing zero.
 */
final class Keys {
  /** Node ids appear in metrics labels, file names and execution claims: keep them plain. */
  static final Pattern NODE_ID = Pattern.compile("[a-z0-9-]{1,32}");

  static final Key<String> NODE_ID_KEY = ofPattern("node.id", null, NODE_ID);
  static final Key<Path> NODE_DATA_DIR = ofRequiredPath("node.dataDir");

  static final Key<String> RAFT_GROUP_ID = ofUuid("raft.groupId", RaftConfig.GROUP_ID_DEFAULT);
  static final Key<Duration> RAFT_ELECTION_TIMEOUT_MIN =
      ofDuration(
          "raft.electionTimeoutMin", RaftConfig.ELECTION_TIMEOUT_MIN_DEFAULT, ms(100), s(60));
  static final Key<Duration> RAFT_ELECTION_TIMEOUT_MAX =
      ofDuration(
          "raft.electionTimeoutMax", RaftConfig.ELECTION_TIMEOUT_MAX_DEFAULT, ms(100), s(120));
  static final Key<Duration> RAFT_FIRST_ELECTION_TIMEOUT_MIN =
      ofDuration(
          "raft.firstElectionTimeoutMin",
          RaftConfig.FIRST_ELECTION_TIMEOUT_MIN_DEFAULT,
          ms(50),
          s(60));
  static final Key<Duration> RAFT_FIRST_ELECTION_TIMEOUT_MAX =
      ofDuration(
          "raft.firstElectionTimeoutMax",
          RaftConfig.FIRST_ELECTION_TIMEOUT_MAX_DEFAULT,
          ms(50),
          s(120));
  static final Key<Long> RAFT_SNAPSHOT_EVERY_ENTRIES =
      ofLong(
          "raft.snapshotEveryEntries", RaftConfig.SNAPSHOT_EVERY_ENTRIES_DEFAULT, 100, 100_000_000);
  static final Key<Integer> RAFT_BATCH_OPS_MAX =
      ofInt("raft.batchOpsMax", RaftConfig.BATCH_OPS_MAX_DEFAULT, 1, 10_000);

  /** At most 2 MiB: leaves room for the entry envelope under Ratis' 4 MiB appender buffer. */
  static final Key<Long> RAFT_BATCH_BYTES_MAX =
      ofBytes("raft.batchBytesMax", RaftConfig.BATCH_BYTES_MAX_DEFAULT, 1024, 2 * 1024 * 1024);

  static final Key<Integer> RAFT_BATCHES_IN_FLIGHT_MAX =
      ofInt("raft.batchesInFlightMax", RaftConfig.BATCHES_IN_FLIGHT_MAX_DEFAULT, 1, 64);
  static final Key<Integer> RAFT_CLIENT_BATCHES_IN_FLIGHT_MAX =
      ofInt(
          "raft.clientBatchesInFlightMax", RaftConfig.CLIENT_BATCHES_IN_FLIGHT_MAX_DEFAULT, 1, 64);

  static final Key<Integer> RAFT_PROPOSE_QUEUE_MAX =
      ofInt("raft.proposeQueueMax", RaftConfig.PROPOSE_QUEUE_MAX_DEFAULT, 1, 1_000_000);
  static final Key<Long> RAFT_PROPOSE_QUEUE_BYTES_MAX =
      ofBytes(
          "raft.proposeQueueBytesMax",
          RaftConfig.PROPOSE_QUEUE_BYTES_MAX_DEFAULT,
          1024 * 1024,
          1024L * 1024 * 1024);
  static final Key<Duration> RAFT_REQUEST_TIMEOUT =
      ofDuration("raft.requestTimeout", RaftConfig.REQUEST_TIMEOUT_DEFAULT, ms(100), m(10));
  static final Key<Long> RAFT_LOG_SEGMENT_BYTES_MAX =
      ofBytes(
          "raft.logSegmentBytesMax",
          RaftConfig.LOG_SEGMENT_BYTES_MAX_DEFAULT,
          64 * 1024,
          1024L * 1024 * 1024);
  static final Key<Duration> RAFT_APPENDER_RETRY_WAIT_MAX =
      ofDuration(
          "raft.appenderRetryWaitMax", RaftConfig.APPENDER_RETRY_WAIT_MAX_DEFAULT, ms(10), m(1));
  static final Key<Duration> RAFT_PROPOSE_QUEUE_WAIT_MAX =
      ofDuration(
          "raft.proposeQueueWaitMax",
          RaftConfig.PROPOSE_QUEUE_WAIT_MAX_DEFAULT,
          Duration.ZERO,
          m(1));
  static final Key<Long> RAFT_LOG_KEEP_ENTRIES =
      ofLong("raft.logKeepEntries", RaftConfig.LOG_KEEP_ENTRIES_DEFAULT, 0, 100_000_000);

  static final Key<Integer> API_PAGE_SIZE_DEFAULT =
      ofInt("api.pageSizeDefault", ApiConfig.PAGE_SIZE_DEFAULT_DEFAULT, 1, 100_000);
  static final Key<Integer> API_PAGE_SIZE_MAX =
      ofInt("api.pageSizeMax", ApiConfig.PAGE_SIZE_MAX_DEFAULT, 1, 100_000);
  static final Key<Integer> API_BODY_BYTES_MAX =
      ofIntBytes("api.bodyBytesMax", ApiConfig.BODY_BYTES_MAX_DEFAULT, 0, 1024 * 1024);
  static final Key<Integer> API_HEADERS_MAX =
      ofInt("api.headersMax", ApiConfig.HEADERS_MAX_DEFAULT, 0, 256);
  static final Key<Integer> API_HEADER_BYTES_MAX =
      ofIntBytes("api.headerBytesMax", ApiConfig.HEADER_BYTES_MAX_DEFAULT, 0, 64 * 1024);
  static final Key<Duration> API_PAST_TOLERANCE =
      ofDuration("api.pastTolerance", ApiConfig.PAST_TOLERANCE_DEFAULT, Duration.ZERO, h(1));
  static final Key<Duration> API_INTERVAL_MIN =
      ofDuration("api.intervalMin", ApiConfig.INTERVAL_MIN_DEFAULT, ms(100), h(1));
  static final Key<Duration> API_REQUEST_ID_TTL =
      ofDuration("api.requestIdTtl", ApiConfig.REQUEST_ID_TTL_DEFAULT, m(1), d(30));
  static final Key<Integer> API_EXECUTION_SCAN_MAX =
      ofInt("api.executionScanMax", ApiConfig.EXECUTION_SCAN_MAX_DEFAULT, 1, 1_000_000);
  static final Key<Integer> API_WATCH_STREAMS_MAX =
      ofInt("api.watchStreamsMax", ApiConfig.WATCH_STREAMS_MAX_DEFAULT, 0, 10_000);
  static final Key<Integer> API_WATCH_QUEUE_MAX =
      ofInt("api.watchQueueMax", ApiConfig.WATCH_QUEUE_MAX_DEFAULT, 1, 1_000_000);
  static final Key<Integer> API_WATCH_STREAMS_PER_CLIENT_MAX =
      ofInt(
          "api.watchStreamsPerClientMax",
          ApiConfig.WATCH_STREAMS_PER_CLIENT_MAX_DEFAULT,
          1,
          10_000);

  /** At most 5000: 5000 ids of at most 213 bytes stay near 1 MiB, within one Raft entry. */
  static final Key<Integer> API_DEAD_LETTER_BATCH_MAX =
      ofInt("api.deadLetterBatchMax", ApiConfig.DEAD_LETTER_BATCH_MAX_DEFAULT, 1, 5_000);

  static final Key<Integer> API_CREATE_BATCH_MAX =
      ofInt("api.createBatchMax", ApiConfig.CREATE_BATCH_MAX_DEFAULT, 1, 10_000);
  static final Key<Duration> API_ADMISSION_LATENESS =
      ofDuration(
          "api.admissionLateness", ApiConfig.ADMISSION_LATENESS_DEFAULT, Duration.ZERO, h(1));
  static final Key<Integer> API_EXECUTOR_THREADS =
      ofInt("api.executorThreads", ApiConfig.EXECUTOR_THREADS_DEFAULT, 0, 256);

  static final Key<Integer> SHARDS_COUNT =
      ofInt("shards.count", ShardConfig.COUNT_DEFAULT, 1, 4096);

  static final Key<Duration> LEASE_HEARTBEAT_INTERVAL =
      ofDuration("lease.heartbeatInterval", LeaseConfig.HEARTBEAT_INTERVAL_DEFAULT, ms(10), s(10));
  static final Key<Duration> LEASE_DURATION =
      ofDuration("lease.duration", LeaseConfig.DURATION_DEFAULT, ms(50), m(1));
  static final Key<Duration> LEASE_MARGIN =
      ofDuration("lease.margin", LeaseConfig.MARGIN_DEFAULT, ms(0), m(1));
  static final Key<Integer> LEASE_UNAPPLIED_PEEK_MAX =
      ofInt("lease.unappliedPeekMax", LeaseConfig.UNAPPLIED_PEEK_MAX_DEFAULT, 0, 100_000);

  static final Key<Duration> EXEC_LOOKAHEAD =
      ofDuration("exec.lookahead", ExecConfig.LOOKAHEAD_DEFAULT, ms(100), m(5));
  static final Key<Duration> EXEC_SCAN_INTERVAL =
      ofDuration("exec.scanInterval", ExecConfig.SCAN_INTERVAL_DEFAULT, ms(10), m(1));
  static final Key<Integer> EXEC_SCAN_BATCH_MAX =
      ofInt("exec.scanBatchMax", ExecConfig.SCAN_BATCH_MAX_DEFAULT, 1, 10_000);
  static final Key<Integer> EXEC_WINDOW_MAX =
      ofInt("exec.windowMax", ExecConfig.WINDOW_MAX_DEFAULT, 1, 1_000_000);
  static final Key<Integer> EXEC_DISPATCH_CONCURRENCY =
      ofInt("exec.dispatchConcurrency", ExecConfig.DISPATCH_CONCURRENCY_DEFAULT, 1, 10_000);
  static final Key<Integer> EXEC_DISPATCH_QUEUE_MAX =
      ofInt("exec.dispatchQueueMax", ExecConfig.DISPATCH_QUEUE_MAX_DEFAULT, 1, 1_000_000);
  static final Key<Integer> EXEC_COMPLETE_BATCH_MAX =
      ofInt("exec.completeBatchMax", ExecConfig.COMPLETE_BATCH_MAX_DEFAULT, 1, 10_000);
  static final Key<Duration> EXEC_RESULT_LINGER =
      ofDuration("exec.resultLinger", ExecConfig.RESULT_LINGER_DEFAULT, Duration.ZERO, s(1));
  static final Key<Duration> EXEC_DELIVERY_TIMEOUT =
      ofDuration("exec.deliveryTimeout", ExecConfig.DELIVERY_TIMEOUT_DEFAULT, ms(100), m(10));
  static final Key<Integer> EXEC_MAX_REQUESTS_PER_HOST =
      ofInt("exec.maxRequestsPerHost", ExecConfig.MAX_REQUESTS_PER_HOST_DEFAULT, 1, 10_000);
  static final Key<Integer> EXEC_RETRY_MAX_ATTEMPTS =
      ofInt("exec.retryMaxAttempts", ExecConfig.RETRY_MAX_ATTEMPTS_DEFAULT, 1, 100);
  static final Key<Duration> EXEC_RETRY_INITIAL_BACKOFF =
      ofDuration(
          "exec.retryInitialBackoff", ExecConfig.RETRY_INITIAL_BACKOFF_DEFAULT, ms(10), h(1));
  static final Key<Duration> EXEC_RETRY_MAX_BACKOFF =
      ofDuration("exec.retryMaxBackoff", ExecConfig.RETRY_MAX_BACKOFF_DEFAULT, ms(10), d(7));
  static final Key<Duration> EXEC_MISFIRE_GRACE =
      ofDuration("exec.misfireGrace", ExecConfig.MISFIRE_GRACE_DEFAULT, Duration.ZERO, d(7));
  static final Key<Duration> EXEC_CONNECT_TIMEOUT =
      ofDuration("exec.connectTimeout", ExecConfig.CONNECT_TIMEOUT_DEFAULT, ms(50), m(5));
  static final Key<Double> EXEC_RETRY_MULTIPLIER =
      ofDecimal("exec.retryMultiplier", ExecConfig.RETRY_MULTIPLIER_DEFAULT, 1, 10);
  static final Key<Duration> EXEC_RETRY_DEADLINE =
      ofDuration("exec.retryDeadline", ExecConfig.RETRY_DEADLINE_DEFAULT, s(1), d(30));
  static final Key<StatusSet> EXEC_RETRY_STATUSES =
      ofStatuses("exec.retryStatuses", ExecConfig.RETRY_STATUSES_DEFAULT);
  static final Key<Integer> EXEC_RESPONSE_EXCERPT_MAX =
      ofIntBytes("exec.responseExcerptMax", ExecConfig.RESPONSE_EXCERPT_MAX_DEFAULT, 0, 64 * 1024);
  static final Key<Integer> EXEC_ATTEMPT_HISTORY_MAX =
      ofInt("exec.attemptHistoryMax", ExecConfig.ATTEMPT_HISTORY_MAX_DEFAULT, 2, 1_000);
  static final Key<Boolean> EXEC_VIRTUAL_HTTP_THREADS =
      ofBoolean("exec.virtualHttpThreads", ExecConfig.VIRTUAL_HTTP_THREADS_DEFAULT);
  static final Key<Duration> EXEC_IDLE_CONNECTION_TIMEOUT =
      ofDuration(
          "exec.idleConnectionTimeout", ExecConfig.IDLE_CONNECTION_TIMEOUT_DEFAULT, ms(50), m(10));

  static final Key<Integer> NODE_APPLY_VERSION =
      ofInt(
          "node.applyVersion",
          NodeConfig.APPLY_VERSION_DEFAULT,
          io.horae.statemachine.core.OpVersions.OLDEST,
          io.horae.statemachine.core.OpVersions.CURRENT);
  static final Key<Boolean> NODE_JOIN = ofBoolean("node.join", MembershipConfig.JOIN_DEFAULT);
  static final Key<Duration> MEMBERSHIP_DRAIN_TIMEOUT =
      ofDuration("membership.drainTimeout", MembershipConfig.DRAIN_TIMEOUT_DEFAULT, s(1), h(1));
  static final Key<Duration> MEMBERSHIP_CHANGE_TIMEOUT =
      ofDuration("membership.changeTimeout", MembershipConfig.CHANGE_TIMEOUT_DEFAULT, s(1), h(1));
  static final Key<Integer> MEMBERSHIP_QUEUE_MAX =
      ofInt("membership.queueMax", MembershipConfig.QUEUE_MAX_DEFAULT, 1, 1_000);
  static final Key<Duration> MEMBERSHIP_QUEUE_TIMEOUT =
      ofDuration("membership.queueTimeout", MembershipConfig.QUEUE_TIMEOUT_DEFAULT, s(1), h(1));

  static final Key<Integer> HOSTS_RATE_PER_SECOND =
      ofInt("hosts.ratePerSecond", HostConfig.RATE_PER_SECOND_DEFAULT, 0, 1_000_000);
  static final Key<Integer> HOSTS_RATE_BURST =
      ofInt("hosts.rateBurst", HostConfig.RATE_BURST_DEFAULT, 1, 1_000_000);
  static final Key<Integer> HOSTS_BREAKER_FAILURES =
      ofInt("hosts.breakerFailures", HostConfig.BREAKER_FAILURES_DEFAULT, 1, 10_000);
  static final Key<Duration> HOSTS_BREAKER_OPEN_MIN =
      ofDuration("hosts.breakerOpenMin", HostConfig.BREAKER_OPEN_MIN_DEFAULT, ms(100), h(1));
  static final Key<Duration> HOSTS_BREAKER_OPEN_MAX =
      ofDuration("hosts.breakerOpenMax", HostConfig.BREAKER_OPEN_MAX_DEFAULT, ms(100), d(1));
  static final Key<Integer> HOSTS_BREAKER_PROBES_MAX =
      ofInt("hosts.breakerProbesMax", HostConfig.BREAKER_PROBES_MAX_DEFAULT, 1, 1_000);
  static final Key<Duration> HOSTS_DEFER_JITTER =
      ofDuration("hosts.deferJitter", HostConfig.DEFER_JITTER_DEFAULT, Duration.ZERO, h(1));
  static final Key<Integer> HOSTS_TRACKED_MAX =
      ofInt("hosts.trackedMax", HostConfig.TRACKED_MAX_DEFAULT, 1, 1_000_000);
  static final Key<Duration> HOSTS_IDLE_EVICT_AFTER =
      ofDuration("hosts.idleEvictAfter", HostConfig.IDLE_EVICT_AFTER_DEFAULT, s(1), d(1));
  static final Key<Integer> HOSTS_METRICS_HOSTS_MAX =
      ofInt("hosts.metricsHostsMax", HostConfig.METRICS_HOSTS_MAX_DEFAULT, 0, 10_000);
  static final Key<Integer> HOSTS_STATUS_HOSTS_MAX =
      ofInt("hosts.statusHostsMax", HostConfig.STATUS_HOSTS_MAX_DEFAULT, 0, 1_000);

  /** A path, not a secret: shown in the start-up log. */
  static final Key<String> SECRETS_KEY_FILE = Key.ofOptionalPath("secrets.keyFile");

  static final Key<Duration> SECRETS_ROTATION_OVERLAP =
      ofDuration(
          "secrets.rotationOverlap", SecretsConfig.ROTATION_OVERLAP_DEFAULT, Duration.ZERO, d(30));

  static final Key<TargetAllowlist> WEBHOOK_TARGET_ALLOW =
      Key.ofAllowlist("webhook.targetAllow", WebhookConfig.TARGET_ALLOW_DEFAULT);

  static final Key<Boolean> AUTH_ENABLED = ofBoolean("auth.enabled", AuthConfig.ENABLED_DEFAULT);

  /** A path, not a secret (the file holds hashes): required when auth is on (CrossRules). */
  static final Key<String> AUTH_ACCESS_FILE = Key.ofOptionalPath("auth.accessFile");

  static final Key<Duration> AUTH_RELOAD_INTERVAL =
      ofDuration(
          "auth.reloadInterval",
          AuthConfig.RELOAD_INTERVAL_DEFAULT,
          Duration.ofMillis(100),
          Duration.ofMinutes(10));
  static final Key<Boolean> AUTH_PROTECT_METRICS =
      ofBoolean("auth.protectMetrics", AuthConfig.PROTECT_METRICS_DEFAULT);

  static final Key<Boolean> TLS_ENABLED = ofBoolean("tls.enabled", TlsConfig.ENABLED_DEFAULT);

  /** Paths, not secrets: shown in the start-up log; required when TLS is on (CrossRules). */
  static final Key<String> TLS_CA_FILE = Key.ofOptionalPath("tls.caFile");

  static final Key<String> TLS_CERT_FILE = Key.ofOptionalPath("tls.certFile");
  static final Key<String> TLS_KEY_FILE = Key.ofOptionalPath("tls.keyFile");

  /** HTTPS on the admin port; when not given, as tls.enabled (CrossRules: true needs TLS on). */
  static final Key<Boolean> ADMIN_TLS = ofBoolean("admin.tls", TlsConfig.ENABLED_DEFAULT);

  static final Key<Integer> ADMIN_CONNECTIONS_MAX =
      ofInt("admin.connectionsMax", AdminConfig.CONNECTIONS_MAX_DEFAULT, 1, 10_000);
  static final Key<Duration> ADMIN_REQUEST_TIMEOUT =
      ofDuration("admin.requestTimeout", AdminConfig.REQUEST_TIMEOUT_DEFAULT, ms(100), m(10));

  /** Empty (off) or an http(s) URL without query or fragment: the collector's OTLP/HTTP base. */
  static final Pattern OTLP_ENDPOINT =
      Pattern.compile("|https?://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~\\-/]*)?");

  static final Key<String> TRACING_OTLP_ENDPOINT =
      ofPattern(
          "tracing.otlpEndpoint",
          TracingConfig.OTLP_ENDPOINT_DEFAULT,
          OTLP_ENDPOINT,
          "must be empty (tracing off) or an http(s) URL like http://127.0.0.1:4318, without user, query or fragment");
  static final Key<String> TRACING_SERVICE_NAME =
      ofPattern(
          "tracing.serviceName",
          TracingConfig.SERVICE_NAME_DEFAULT,
          Pattern.compile("[A-Za-z0-9._-]{1,64}"),
          "must be 1 to 64 letters, digits, dots, dashes or underscores");
  static final Key<Double> TRACING_SAMPLE_RATIO =
      ofDecimal("tracing.sampleRatio", TracingConfig.SAMPLE_RATIO_DEFAULT, 0, 1);
  static final Key<Integer> TRACING_QUEUE_MAX =
      ofInt("tracing.queueMax", TracingConfig.QUEUE_MAX_DEFAULT, 1, 1_000_000);
  static final Key<Integer> TRACING_BATCH_MAX =
      ofInt("tracing.batchMax", TracingConfig.BATCH_MAX_DEFAULT, 1, 100_000);
  static final Key<Duration> TRACING_EXPORT_INTERVAL =
      ofDuration("tracing.exportInterval", TracingConfig.EXPORT_INTERVAL_DEFAULT, ms(100), m(1));

  /** Every key above, in file order; a test checks that none is missing. */
  static final Key<Duration> RETENTION_HISTORY_TTL =
      ofDuration(
          "retention.historyTtl",
          RetentionConfig.HISTORY_TTL_DEFAULT,
          Duration.ZERO,
          Duration.ofDays(3650));

  static final Key<NamespaceDurations> RETENTION_NAMESPACE_TTL =
      Key.ofNamespaceDurations("retention.namespaceTtl");
  static final Key<Duration> RETENTION_SWEEP_INTERVAL =
      ofDuration(
          "retention.sweepInterval",
          RetentionConfig.SWEEP_INTERVAL_DEFAULT,
          s(1),
          Duration.ofDays(1));
  static final Key<Integer> RETENTION_BATCH_MAX =
      ofInt("retention.batchMax", RetentionConfig.BATCH_MAX_DEFAULT, 1, 10_000);

  static final Key<Long> QUOTA_JOBS_MAX =
      ofLong("quota.jobsMax", QuotaConfig.JOBS_MAX_DEFAULT, 0, 1_000_000_000L);
  static final Key<Long> QUOTA_PENDING_MAX =
      ofLong("quota.pendingMax", QuotaConfig.PENDING_MAX_DEFAULT, 0, 1_000_000_000L);
  static final Key<Long> QUOTA_CREATES_PER_SECOND =
      ofLong("quota.createsPerSecond", QuotaConfig.CREATES_PER_SECOND_DEFAULT, 0, 1_000_000L);
  static final Key<NamespaceQuotas> QUOTA_NAMESPACES = Key.ofNamespaceQuotas("quota.namespaces");
  static final Key<Long> STORAGE_MIN_FREE_BYTES =
      ofBytes(
          "storage.minFreeBytes",
          StorageConfig.MIN_FREE_BYTES_DEFAULT,
          0,
          1024L * 1024 * 1024 * 1024);
  static final Key<Duration> STORAGE_FREE_SPACE_CHECK_INTERVAL =
      ofDuration(
          "storage.freeSpaceCheckInterval",
          StorageConfig.FREE_SPACE_CHECK_INTERVAL_DEFAULT,
          ms(10),
          m(1));
  static final Key<Boolean> STORAGE_FAULT_HOOKS =
      ofBoolean("storage.faultHooks", StorageConfig.FAULT_HOOKS_DEFAULT);
  static final Key<Long> STORAGE_BLOCK_CACHE_BYTES =
      ofBytes(
          "storage.blockCacheBytes",
          StorageConfig.BLOCK_CACHE_BYTES_DEFAULT,
          1024L * 1024,
          64L * 1024 * 1024 * 1024);

  /**
   * Every key above, in the order declared: a key is declared once and listed nowhere else. A key
   * whose default comes from another ({@link #DEFAULT_FROM}) is declared after it.
   */
  static final List<Key<?>> ALL = declared();

  /**
   * Keys whose default is another key's value when they are not given (their fixed default, for the
   * docs, is the other's default); the other comes first in {@link #ALL}.
   */
  static final Map<Key<?>, Key<?>> DEFAULT_FROM = Map.of(ADMIN_TLS, TLS_ENABLED);

  static final Map<String, Key<?>> BY_NAME =
      ALL.stream().collect(Collectors.toUnmodifiableMap(Key::name, Function.identity()));

  private Keys() {}

  /** The static Key fields of this class, in declaration order; called after they are set. */
  private static List<Key<?>> declared() {
    List<Key<?>> keys = new java.util.ArrayList<>();
    for (java.lang.reflect.Field f : Keys.class.getDeclaredFields()) {
      if (f.getType() == Key.class && java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
        try {
          keys.add(
              java.util.Objects.requireNonNull(
                  (Key<?>) f.get(null), () -> f.getName() + " is declared below ALL"));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return List.copyOf(keys);
  }

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  private static Duration s(long n) {
    return Duration.ofSeconds(n);
  }

  private static Duration m(long n) {
    return Duration.ofMinutes(n);
  }

  private static Duration h(long n) {
    return Duration.ofHours(n);
  }

  private static Duration d(long n) {
    return Duration.ofDays(n);
  }
}
