package io.horae.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads and validates a node config. Every problem is collected before failing, so an operator
 * fixes a file in one round; see {@link ConfigException} for the message format.
 *
 * <p>This is the only code that may read configuration from outside the process. It reads no system
 * properties and no environment variables yet: the file is the whole truth.
 */
public final class ConfigLoader {
  /** Config files are a few KiB; anything larger is not one. */
  static final long FILE_BYTES_MAX = 1024 * 1024;

  private ConfigLoader() {}

  /**
   * Reads a properties file (UTF-8) and validates it. A key given twice in the file is an error,
   * since the second value would silently win.
   *
   * @throws ConfigException when the file cannot be read or any key is wrong
   */
  public static HoraeConfig load(Path file) throws ConfigException {
    DuplicateTrackingProperties props = new DuplicateTrackingProperties();
    try {
      long size = Files.size(file);
      if (size > FILE_BYTES_MAX) {
        throw new ConfigException(
            List.of(
                file + ": " + size + " bytes; a config file must be at most " + FILE_BYTES_MAX));
      }
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(reader);
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file.toAbsolutePath(), e);
    } catch (IOException | IllegalArgumentException e) {
      // Properties.load throws IllegalArgumentException on a malformed \\uXXXX escape.
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return validate(props, new ArrayList<>(props.duplicates()));
  }

  /**
   * Validates already loaded properties; only String keys and values are looked at.
   *
   * @throws ConfigException listing every problem found
   */
  public static HoraeConfig fromProperties(Properties props) throws ConfigException {
    return validate(props, new ArrayList<>());
  }

  private static HoraeConfig validate(Properties props, List<String> problems)
      throws ConfigException {
    checkKnownKeys(props, problems);
    ParsedValues values = new ParsedValues();
    for (Key<?> key : Keys.ALL) {
      read(key, props, values, problems);
    }
    Peers peers = PeersParser.parse(props, problems);
    checkSelfIsPeer(values, peers, problems);
    CrossRules.check(values, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return build(values, peers.valid());
  }

  private static void checkKnownKeys(Properties props, List<String> problems) {
    for (String name : new TreeSet<>(props.stringPropertyNames())) {
      if (Keys.BY_NAME.containsKey(name) || PeersParser.isPeerKey(name)) {
        continue;
      }
      String hint =
          KeySuggestion.closest(name, Keys.BY_NAME.keySet())
              .map(known -> " (did you mean " + known + "?)")
              .orElse("");
      problems.add(problem(name, props.getProperty(name), "unknown key" + hint));
    }
  }

  private static <T> void read(
      Key<T> key, Properties props, ParsedValues values, List<String> problems) {
    String raw = props.getProperty(key.name());
    if (raw == null) {
      if (key.required()) {
        problems.add(key.name() + ": required key is missing (it has no default)");
      } else if (Keys.DEFAULT_FROM.containsKey(key)) {
        Key<?> from = Keys.DEFAULT_FROM.get(key);
        if (values.has(from)) {
          values.put(key, key.type().cast(values.get(from)));
        }
      } else {
        values.put(key, key.defaultValue());
      }
      return;
    }
    // Properties keeps trailing blanks of a value; they are never meant.
    String value = raw.strip();
    try {
      values.put(key, key.parse(value));
    } catch (IllegalArgumentException e) {
      problems.add(problem(key.name(), value, e.getMessage()));
    }
  }

  private static void checkSelfIsPeer(ParsedValues values, Peers peers, List<String> problems) {
    if (!values.has(Keys.NODE_ID_KEY) || peers.declaredIds().isEmpty()) {
      return; // Already reported.
    }
    String id = values.get(Keys.NODE_ID_KEY);
    if (!peers.declaredIds().contains(id)) {
      problems.add(
          problem(
              Keys.NODE_ID_KEY.name(),
              id,
              "must be one of the peers " + new TreeSet<>(peers.declaredIds())));
    }
  }

  private static String problem(String key, String value, String rule) {
    return key + "=" + ConfigDescription.mask(key, value) + ": " + rule;
  }

  private static HoraeConfig build(ParsedValues v, List<PeerConfig> peers) {
    return new HoraeConfig(
        new NodeConfig(
            v.get(Keys.NODE_ID_KEY), v.get(Keys.NODE_DATA_DIR), v.get(Keys.NODE_APPLY_VERSION)),
        peers,
        new RaftConfig(
            v.get(Keys.RAFT_GROUP_ID),
            v.get(Keys.RAFT_ELECTION_TIMEOUT_MIN),
            v.get(Keys.RAFT_ELECTION_TIMEOUT_MAX),
            v.get(Keys.RAFT_SNAPSHOT_EVERY_ENTRIES),
            v.get(Keys.RAFT_BATCH_OPS_MAX),
            v.get(Keys.RAFT_BATCH_BYTES_MAX),
            v.get(Keys.RAFT_PROPOSE_QUEUE_MAX),
            v.get(Keys.RAFT_PROPOSE_QUEUE_BYTES_MAX),
            v.get(Keys.RAFT_REQUEST_TIMEOUT),
            v.get(Keys.RAFT_LOG_SEGMENT_BYTES_MAX)),
        new ApiConfig(
            v.get(Keys.API_PAGE_SIZE_DEFAULT),
            v.get(Keys.API_PAGE_SIZE_MAX),
            v.get(Keys.API_BODY_BYTES_MAX),
            v.get(Keys.API_HEADERS_MAX),
            v.get(Keys.API_HEADER_BYTES_MAX),
            v.get(Keys.API_PAST_TOLERANCE),
            v.get(Keys.API_INTERVAL_MIN),
            v.get(Keys.API_REQUEST_ID_TTL),
            v.get(Keys.API_EXECUTION_SCAN_MAX),
            v.get(Keys.API_WATCH_STREAMS_MAX),
            v.get(Keys.API_WATCH_QUEUE_MAX),
            v.get(Keys.API_DEAD_LETTER_BATCH_MAX),
            v.get(Keys.API_CREATE_BATCH_MAX),
            v.get(Keys.API_WATCH_STREAMS_PER_CLIENT_MAX)),
        new ShardConfig(v.get(Keys.SHARDS_COUNT)),
        new LeaseConfig(
            v.get(Keys.LEASE_HEARTBEAT_INTERVAL),
            v.get(Keys.LEASE_DURATION),
            v.get(Keys.LEASE_MARGIN)),
        new ExecConfig(
            v.get(Keys.EXEC_LOOKAHEAD),
            v.get(Keys.EXEC_SCAN_INTERVAL),
            v.get(Keys.EXEC_SCAN_BATCH_MAX),
            v.get(Keys.EXEC_WINDOW_MAX),
            v.get(Keys.EXEC_DISPATCH_CONCURRENCY),
            v.get(Keys.EXEC_DISPATCH_QUEUE_MAX),
            v.get(Keys.EXEC_COMPLETE_BATCH_MAX),
            v.get(Keys.EXEC_DELIVERY_TIMEOUT),
            v.get(Keys.EXEC_MAX_REQUESTS_PER_HOST),
            v.get(Keys.EXEC_RETRY_MAX_ATTEMPTS),
            v.get(Keys.EXEC_RETRY_INITIAL_BACKOFF),
            v.get(Keys.EXEC_RETRY_MAX_BACKOFF),
            v.get(Keys.EXEC_MISFIRE_GRACE),
            v.get(Keys.EXEC_CONNECT_TIMEOUT),
            v.get(Keys.EXEC_RETRY_MULTIPLIER),
            v.get(Keys.EXEC_RETRY_DEADLINE),
            v.get(Keys.EXEC_RETRY_STATUSES),
            v.get(Keys.EXEC_RESPONSE_EXCERPT_MAX),
            v.get(Keys.EXEC_ATTEMPT_HISTORY_MAX)),
        new MembershipConfig(
            v.get(Keys.NODE_JOIN),
            v.get(Keys.MEMBERSHIP_DRAIN_TIMEOUT),
            v.get(Keys.MEMBERSHIP_CHANGE_TIMEOUT),
            v.get(Keys.MEMBERSHIP_QUEUE_MAX),
            v.get(Keys.MEMBERSHIP_QUEUE_TIMEOUT)),
        new HostConfig(
            v.get(Keys.HOSTS_RATE_PER_SECOND),
            v.get(Keys.HOSTS_RATE_BURST),
            v.get(Keys.HOSTS_BREAKER_FAILURES),
            v.get(Keys.HOSTS_BREAKER_OPEN_MIN),
            v.get(Keys.HOSTS_BREAKER_OPEN_MAX),
            v.get(Keys.HOSTS_BREAKER_PROBES_MAX),
            v.get(Keys.HOSTS_DEFER_JITTER),
            v.get(Keys.HOSTS_TRACKED_MAX),
            v.get(Keys.HOSTS_IDLE_EVICT_AFTER),
            v.get(Keys.HOSTS_METRICS_HOSTS_MAX),
            v.get(Keys.HOSTS_STATUS_HOSTS_MAX)),
        new SecretsConfig(v.get(Keys.SECRETS_KEY_FILE), v.get(Keys.SECRETS_ROTATION_OVERLAP)),
        new WebhookConfig(v.get(Keys.WEBHOOK_TARGET_ALLOW)),
        new TlsConfig(
            v.get(Keys.TLS_ENABLED),
            v.get(Keys.TLS_CA_FILE),
            v.get(Keys.TLS_CERT_FILE),
            v.get(Keys.TLS_KEY_FILE),
            v.get(Keys.ADMIN_TLS)),
        new AuthConfig(
            v.get(Keys.AUTH_ENABLED),
            v.get(Keys.AUTH_ACCESS_FILE),
            v.get(Keys.AUTH_RELOAD_INTERVAL),
            v.get(Keys.AUTH_PROTECT_METRICS)),
        new RetentionConfig(
            v.get(Keys.RETENTION_HISTORY_TTL),
            v.get(Keys.RETENTION_NAMESPACE_TTL),
            v.get(Keys.RETENTION_SWEEP_INTERVAL),
            v.get(Keys.RETENTION_BATCH_MAX)),
        new AdminConfig(v.get(Keys.ADMIN_CONNECTIONS_MAX), v.get(Keys.ADMIN_REQUEST_TIMEOUT)),
        new QuotaConfig(
            v.get(Keys.QUOTA_JOBS_MAX),
            v.get(Keys.QUOTA_PENDING_MAX),
            v.get(Keys.QUOTA_CREATES_PER_SECOND),
            v.get(Keys.QUOTA_NAMESPACES)),
        new StorageConfig(
            v.get(Keys.STORAGE_MIN_FREE_BYTES),
            v.get(Keys.STORAGE_FREE_SPACE_CHECK_INTERVAL),
            v.get(Keys.STORAGE_FAULT_HOOKS)),
        new TracingConfig(
            v.get(Keys.TRACING_OTLP_ENDPOINT),
            v.get(Keys.TRACING_SERVICE_NAME),
            v.get(Keys.TRACING_SAMPLE_RATIO),
            v.get(Keys.TRACING_QUEUE_MAX),
            v.get(Keys.TRACING_BATCH_MAX),
            v.get(Keys.TRACING_EXPORT_INTERVAL)));
  }
}
