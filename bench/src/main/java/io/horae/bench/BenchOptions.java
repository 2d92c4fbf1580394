package io.horae.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * What to run and how big. {@link #defaults()} is the full run the README reports; {@link #tiny()}
 * is the smoke size the test command runs. Every scenario is bounded by these counts and durations
 * plus {@link #settleMax} of waiting for the last deliveries.
 */
public final class BenchOptions {
  /**
   * In the order they run; ladder first, on a warm cluster that holds no other scenario's jobs yet.
   */
  public static final List<String> SCENARIOS =
      List.of("ladder", "create", "burst", "steady", "failover", "backlog");

  /** Run only when named: {@code tls} starts a second cluster to compare TLS with plaintext. */
  public static final List<String> ON_REQUEST = List.of("tls");

  /** Every scenario --scenarios takes. */
  public static final List<String> KNOWN =
      java.util.stream.Stream.concat(SCENARIOS.stream(), ON_REQUEST.stream()).toList();

  public List<String> scenarios = SCENARIOS;

  /** Null: start a local cluster of {@link #nodes} processes. */
  public String endpoints;

  /**
   * Certificates and the admin's credentials for the local cluster (needed without TLS too: auth is
   * on).
   */
  public CertMaker certs;

  /** False runs the local cluster with tls.enabled=false, to compare (--no-tls); auth stays on. */
  public boolean tls = true;

  /**
   * With endpoints: how the bench's client reaches them (the CLI's --ca, --cert, --key,
   * --plaintext, token).
   */
  public Path caFile;

  /**
   * A bearer token for the cluster at endpoints, or null; never printed or written to the report.
   */
  public String bearerToken;

  /**
   * With endpoints: the TLS context for https admin URLs (trusting caFile); null for the JDK's
   * roots.
   */
  public SSLContext adminTrust;

  public Path certFile;
  public Path keyFile;
  public boolean plaintext;

  /**
   * With endpoints: each node's admin base URL (https://host:port when the nodes run with TLS,
   * trusting caFile), for heap and RSS; may be empty.
   */
  public List<String> adminUrls = List.of();

  public int nodes = 3;
  public String nodeHeap = "1g";

  /** Record a JFR profile per local node (cluster/nX-*.jfr), written when the node stops. */
  public boolean jfr;

  /**
   * Null, or where node n1 of the local cluster writes the JDK's ahead-of-time cache of its run
   * (-XX:AOTCacheOutput), which it does when the bench stops it at the end (bin/lib/aot.sh).
   */
  public Path aotCacheOutput;

  /** Set by the bench: whether the local nodes started from an ahead-of-time cache. */
  public boolean nodeAotCache;

  public Path out = Path.of("bench-results");
  public Duration createLevel = Duration.ofSeconds(8);
  public List<Integer> createConcurrency = List.of(1, 16, 64);
  public List<Integer> createBatchConcurrency = List.of(1, 4, 16);
  public int batchSize = 500;
  public int burstJobs = 100_000;

  /** The burst each cluster of the {@code tls} scenario delivers. */
  public int tlsCostJobs = 20_000;

  /** How long before its due time a job of a steady load is created. */
  public Duration lead = Duration.ofSeconds(3);

  public int steadyRate = 1_000;
  public Duration steadyDuration = Duration.ofSeconds(60);
  public Duration failoverDuration = Duration.ofSeconds(60);

  /** How long a killed node stays down before it is restarted. */
  public Duration failoverDown = Duration.ofSeconds(10);

  /** The ladder's steps: executions due per second, climbed in this order. */
  public List<Integer> ladderRates = List.of(500, 1_000, 2_000, 4_000, 8_000, 16_000);

  public Duration ladderStep = Duration.ofSeconds(20);

  /** The cold start: this rate on the fresh cluster for this long; zero skips it. */
  public int coldStartRate = 200;

  public Duration coldStartDuration = Duration.ofSeconds(25);

  /** Creates and deliveries before the measured scenarios, not measured (JIT); zero skips it. */
  public int warmupRate = 500;

  public Duration warmupDuration = Duration.ofSeconds(15);

  /**
   * One-shot jobs due at one instant at the end of the warm-up; zero: none. The steady part alone
   * left the burst's paths (a full window, batches of results) to be compiled in the measured
   * burst: the compiler threads took a fifth of the nodes' CPU there.
   */
  public int warmupBurstJobs = 20_000;

  /**
   * Single CreateJob calls, {@link #WARMUP_CREATES_IN_FLIGHT} in flight, at the end of the warm-up;
   * zero: none. One call at a time beside the steady load made only about 30 in 15 s (each waited
   * behind the loader's batches), so the single-create path ran interpreted and C1-compiled in the
   * measured create levels: the compiler threads took a sixth of the nodes' CPU at 1 in flight.
   */
  public int warmupCreates = 10_000;

  /** Calls in flight of the warm-up's single creates. */
  public static final int WARMUP_CREATES_IN_FLIGHT = 64;

  /** Longest time the warm-up's single creates take; what is not done by then is skipped. */
  public static final Duration WARMUP_CREATES_MAX = Duration.ofSeconds(30);

  public int backlogJobs = 1_000_000;
  public Duration backlogSteadyDuration = Duration.ofSeconds(60);
  public Duration settleMax = Duration.ofSeconds(120);

  /** Arrivals the receiver keeps per scenario (beyond: counted only). */
  public int arrivalsMax = 2_000_000;

  /** The command line, for the report header. */
  public String command = "horae bench";

  public static BenchOptions defaults() {
    return new BenchOptions();
  }

  /** Every scenario at a size that finishes in about two minutes on 2 cores. */
  public static BenchOptions tiny() {
    BenchOptions o = new BenchOptions();
    o.nodeHeap = "256m";
    o.createLevel = Duration.ofSeconds(1);
    o.createConcurrency = List.of(1, 8);
    o.createBatchConcurrency = List.of(2);
    o.batchSize = 100;
    o.burstJobs = 500;
    o.tlsCostJobs = 300;
    o.ladderRates = List.of(50, 200);
    o.ladderStep = Duration.ofSeconds(2);
    o.coldStartRate = 100;
    o.coldStartDuration = Duration.ofSeconds(4);
    o.warmupRate = 100;
    o.warmupDuration = Duration.ofSeconds(2);
    o.warmupBurstJobs = 200;
    o.warmupCreates = 100;
    // Seven steady loads run at this size; a shorter lead keeps the smoke run near two minutes.
    o.lead = Duration.ofSeconds(1);
    o.steadyRate = 50;
    o.steadyDuration = Duration.ofSeconds(5);
    o.failoverDuration = Duration.ofSeconds(40);
    o.failoverDown = Duration.ofSeconds(3);
    o.backlogJobs = 2_000;
    o.backlogSteadyDuration = Duration.ofSeconds(4);
    o.settleMax = Duration.ofSeconds(60);
    return o;
  }
}
