package io.horae.server.config;

import static io.horae.server.config.Keys.API_BODY_BYTES_MAX;
import static io.horae.server.config.Keys.API_EXECUTION_SCAN_MAX;
import static io.horae.server.config.Keys.API_PAGE_SIZE_DEFAULT;
import static io.horae.server.config.Keys.API_PAGE_SIZE_MAX;
import static io.horae.server.config.Keys.EXEC_LOOKAHEAD;
import static io.horae.server.config.Keys.EXEC_RETRY_INITIAL_BACKOFF;
import static io.horae.server.config.Keys.EXEC_RETRY_MAX_BACKOFF;
import static io.horae.server.config.Keys.EXEC_SCAN_BATCH_MAX;
import static io.horae.server.config.Keys.EXEC_SCAN_INTERVAL;
import static io.horae.server.config.Keys.EXEC_WINDOW_MAX;
import static io.horae.server.config.Keys.HOSTS_BREAKER_OPEN_MAX;
import static io.horae.server.config.Keys.HOSTS_BREAKER_OPEN_MIN;
import static io.horae.server.config.Keys.LEASE_DURATION;
import static io.horae.server.config.Keys.LEASE_HEARTBEAT_INTERVAL;
import static io.horae.server.config.Keys.RAFT_BATCH_BYTES_MAX;
import static io.horae.server.config.Keys.RAFT_ELECTION_TIMEOUT_MAX;
import static io.horae.server.config.Keys.RAFT_ELECTION_TIMEOUT_MIN;
import static io.horae.server.config.Keys.RAFT_FIRST_ELECTION_TIMEOUT_MAX;
import static io.horae.server.config.Keys.RAFT_FIRST_ELECTION_TIMEOUT_MIN;
import static io.horae.server.config.Keys.RAFT_LOG_SEGMENT_BYTES_MAX;
import static io.horae.server.config.Keys.RAFT_REQUEST_TIMEOUT;
import static io.horae.server.config.Keys.TRACING_BATCH_MAX;
import static io.horae.server.config.Keys.TRACING_QUEUE_MAX;

import java.time.Duration;
import java.util.List;

/**
 * Rules between keys. A rule is checked only when all its keys parsed, so one bad value yields one
 * problem, not a cascade. The problem names the first key of the rule.
 */
final class CrossRules {

  private enum Relation {
    LESS_THAN("less than"),
    AT_MOST("at most"),
    GREATER_THAN("greater than");

    private final String words;

    Relation(String words) {
      this.words = words;
    }

    boolean holds(int comparison) {
      return switch (this) {
        case LESS_THAN -> comparison < 0;
        case AT_MOST -> comparison <= 0;
        case GREATER_THAN -> comparison > 0;
      };
    }
  }

  /**
   * {@code left relation right}, or else the problem ends with {@code why}. Both keys hold
   * durations, or both hold whole numbers (int or long).
   */
  private record Rule(Key<?> left, Relation relation, Key<?> right, String why) {
    void check(ParsedValues v, List<String> problems) {
      if (!v.has(left) || !v.has(right)) {
        return;
      }
      if (!relation.holds(compare(v.get(left), v.get(right)))) {
        problems.add(
            left.name()
                + "="
                + formatted(left, v)
                + ": must be "
                + relation.words
                + " "
                + right.name()
                + "="
                + formatted(right, v)
                + " ("
                + why
                + ")");
      }
    }

    private static int compare(Object l, Object r) {
      if (l instanceof Duration a && r instanceof Duration b) {
        return a.compareTo(b);
      }
      if (l instanceof Number a && r instanceof Number b) {
        return Long.compare(a.longValue(), b.longValue());
      }
      throw new AssertionError("cannot compare " + l.getClass() + " with " + r.getClass());
    }

    private static <T> String formatted(Key<T> key, ParsedValues v) {
      return key.format(v.get(key));
    }
  }

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              TRACING_BATCH_MAX,
              Relation.AT_MOST,
              TRACING_QUEUE_MAX,
              "a batch is taken from the export queue"),
          new Rule(
              RAFT_ELECTION_TIMEOUT_MAX,
              Relation.GREATER_THAN,
              RAFT_ELECTION_TIMEOUT_MIN,
              "the timeout is drawn at random between the two"),
          new Rule(
              RAFT_FIRST_ELECTION_TIMEOUT_MAX,
              Relation.GREATER_THAN,
              RAFT_FIRST_ELECTION_TIMEOUT_MIN,
              "the timeout is drawn at random between the two"),
          new Rule(
              RAFT_REQUEST_TIMEOUT,
              Relation.GREATER_THAN,
              RAFT_ELECTION_TIMEOUT_MAX,
              "a request must be able to outlast one leader election"),
          new Rule(
              API_PAGE_SIZE_DEFAULT,
              Relation.AT_MOST,
              API_PAGE_SIZE_MAX,
              "the default page must be an allowed page"),
          new Rule(
              API_PAGE_SIZE_MAX,
              Relation.AT_MOST,
              API_EXECUTION_SCAN_MAX,
              "a full page of executions must fit in the records one page may examine"),
          new Rule(
              API_BODY_BYTES_MAX,
              Relation.LESS_THAN,
              RAFT_BATCH_BYTES_MAX,
              "a job with the largest body must fit in one Raft entry"),
          new Rule(
              RAFT_BATCH_BYTES_MAX,
              Relation.LESS_THAN,
              RAFT_LOG_SEGMENT_BYTES_MAX,
              "one Raft entry must fit in a log segment"),
          new Rule(
              LEASE_DURATION,
              Relation.AT_MOST,
              RAFT_ELECTION_TIMEOUT_MIN,
              "leases granted by a deposed leader must run out before a new leader can be elected"),
          new Rule(
              LEASE_HEARTBEAT_INTERVAL,
              Relation.LESS_THAN,
              LEASE_DURATION,
              "a lease must outlast the interval between two reports"),
          new Rule(
              EXEC_SCAN_INTERVAL,
              Relation.LESS_THAN,
              EXEC_LOOKAHEAD,
              "each scan must look past the next one, or due work is taken late"),
          new Rule(
              EXEC_SCAN_BATCH_MAX,
              Relation.AT_MOST,
              EXEC_WINDOW_MAX,
              "one scan batch must fit in the window"),
          new Rule(
              EXEC_RETRY_INITIAL_BACKOFF,
              Relation.AT_MOST,
              EXEC_RETRY_MAX_BACKOFF,
              "the backoff grows from the initial value up to the cap"),
          new Rule(
              HOSTS_BREAKER_OPEN_MIN,
              Relation.AT_MOST,
              HOSTS_BREAKER_OPEN_MAX,
              "the open time grows from the first value up to the cap"));

  private CrossRules() {}

  static void check(ParsedValues v, List<String> problems) {
    for (Rule rule : RULES) {
      rule.check(v, problems);
    }
    checkTlsFiles(v, problems);
    checkAttemptHistoryBytes(v, problems);
    if (v.has(Keys.ADMIN_TLS)
        && v.get(Keys.ADMIN_TLS)
        && v.has(Keys.TLS_ENABLED)
        && !v.get(Keys.TLS_ENABLED)) {
      problems.add(
          Keys.ADMIN_TLS.name()
              + "=true: needs tls.enabled=true (the admin port serves the node's certificate of tls.certFile)");
    }
    if (v.has(Keys.AUTH_ENABLED)
        && v.get(Keys.AUTH_ENABLED)
        && v.has(Keys.AUTH_ACCESS_FILE)
        && v.get(Keys.AUTH_ACCESS_FILE).isEmpty()) {
      problems.add(
          Keys.AUTH_ACCESS_FILE.name()
              + ": required while auth.enabled=true, the default (horae certs init writes one: <dir>/tokens; auth.enabled=false lets"
              + " anyone who reaches the API port call every RPC)");
    }
    if (v.has(Keys.AUTH_PROTECT_METRICS)
        && v.get(Keys.AUTH_PROTECT_METRICS)
        && !(v.has(Keys.AUTH_ENABLED) && v.get(Keys.AUTH_ENABLED))) {
      problems.add(
          Keys.AUTH_PROTECT_METRICS.name()
              + ": needs auth.enabled=true (the tokens come from auth.accessFile)");
    }
  }

  /**
   * Most bytes of one execution's attempt history: a full view of the execution (GetExecution, or a
   * list page in the full view, which holds at least one record) must fit in the 16 MiB reply the
   * Java client takes, with room for the job's own fields.
   */
  static final long ATTEMPT_HISTORY_BYTES_MAX = 8L * 1024 * 1024;

  /**
   * What an attempt holds besides its response excerpt: node, times, status, error class and text.
   */
  static final long ATTEMPT_OVERHEAD_BYTES = 1024;

  private static void checkAttemptHistoryBytes(ParsedValues v, List<String> problems) {
    if (!v.has(Keys.EXEC_ATTEMPT_HISTORY_MAX) || !v.has(Keys.EXEC_RESPONSE_EXCERPT_MAX)) {
      return;
    }
    long attempts = v.get(Keys.EXEC_ATTEMPT_HISTORY_MAX);
    long excerpt = v.get(Keys.EXEC_RESPONSE_EXCERPT_MAX);
    long bytes = attempts * (excerpt + ATTEMPT_OVERHEAD_BYTES);
    if (bytes > ATTEMPT_HISTORY_BYTES_MAX) {
      problems.add(
          Keys.EXEC_ATTEMPT_HISTORY_MAX.name()
              + "="
              + attempts
              + ": with "
              + Keys.EXEC_RESPONSE_EXCERPT_MAX.name()
              + "="
              + Keys.EXEC_RESPONSE_EXCERPT_MAX.format(v.get(Keys.EXEC_RESPONSE_EXCERPT_MAX))
              + " an execution's attempts may hold "
              + bytes / 1024
              + " KiB, more than "
              + ATTEMPT_HISTORY_BYTES_MAX / 1024
              + " KiB (attempts x (excerpt + 1 KiB) must fit one reply the Java client takes, 16 MiB, with room to spare); at this"
              + " excerpt size at most "
              + ATTEMPT_HISTORY_BYTES_MAX / (excerpt + ATTEMPT_OVERHEAD_BYTES)
              + " attempts");
    }
  }

  /** With TLS on (the default) the node needs its three files; plaintext must be asked for. */
  private static void checkTlsFiles(ParsedValues v, List<String> problems) {
    if (!v.has(Keys.TLS_ENABLED) || !v.get(Keys.TLS_ENABLED)) {
      return;
    }
    for (Key<String> key : List.of(Keys.TLS_CA_FILE, Keys.TLS_CERT_FILE, Keys.TLS_KEY_FILE)) {
      if (v.has(key) && v.get(key).isEmpty()) {
        problems.add(
            key.name()
                + ": required while tls.enabled=true (make the files with horae certs init, or set"
                + " tls.enabled=false for plaintext)");
      }
    }
  }
}
