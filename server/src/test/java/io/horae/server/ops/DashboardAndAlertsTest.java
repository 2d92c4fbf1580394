package io.horae.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.horae.api.v1.CreateJobRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.JobServiceGrpc;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.server.cluster.Closer;
import io.horae.server.cluster.Creates;
import io.horae.server.cluster.MiniCluster;
import io.horae.server.cluster.Receiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps ops/grafana/horae-dashboard.json and ops/prometheus/horae-alerts.yml in step with what a
 * node exports. One 3-node MiniCluster delivers a few jobs to a loopback receiver and refuses one
 * create, then each node's /metrics is scraped. Every metric name the dashboard and the rules
 * mention (horae_*, jvm_*, process_*) must be in the scrapes: a renamed meter fails here instead of
 * leaving an empty panel or an alert that never fires. Where promtool is found or can be fetched
 * (see {@link Promtool}), the scrape must pass {@code promtool check metrics} and the rules {@code
 * promtool check rules}; where not, those two tests are skipped with the reason.
 */
class DashboardAndAlertsTest {
  private static final Path DASHBOARD = Path.of("ops", "grafana", "horae-dashboard.json");
  private static final Path RULES = Path.of("ops", "prometheus", "horae-alerts.yml");

  /**
   * Metric names as PromQL mentions them; label values and prose name no metric with these
   * prefixes.
   */
  private static final Pattern METRIC_NAME =
      Pattern.compile("\\b(?:horae|jvm|process)_[a-z0-9_]*[a-z0-9]");

  private static final Pattern LATENESS_BUCKET =
      Pattern.compile(
          "^horae_delivery_lateness_seconds_bucket\\{[^}]*le=\"([^\"]+)\"", Pattern.MULTILINE);
  private static final Pattern DASHBOARD_EXPR =
      Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final int JOBS = 6;

  /**
   * promtool lint findings accepted, each on a meter of Micrometer's own binders whose name we do
   * not choose: ProcessorMetrics names them so, and horae bench reads process_cpu_time_ns_total.
   */
  private static final Set<String> LINT_ACCEPTED =
      Set.of(
          "process_cpu_time_ns_total metric names should not contain abbreviated units",
          "system_cpu_count non-histogram and non-summary metrics should not have \"_count\" suffix");

  @TempDir static Path tmp;
  static MiniCluster cluster;
  static Receiver receiver;

  /** Each node's scrape, by node id, taken once the receiver had every delivery. */
  static Map<String, String> scrapes = new TreeMap<>();

  @BeforeAll
  static void start() throws Exception {
    receiver = new Receiver();
    cluster = MiniCluster.start(tmp, 3, Map.of());
    long due = System.currentTimeMillis() + 1_500;
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      jobs.add(job("ops-" + i, due + i * 50L));
    }
    Creates.all(cluster.ids().stream().map(cluster::channel).toList(), jobs);
    // A refused create, so that the refusal counter has a reason that moved.
    JobServiceGrpc.JobServiceBlockingStub stub =
        JobServiceGrpc.newBlockingStub(cluster.channel(cluster.ids().get(0)));
    assertThatThrownBy(
            () -> stub.createJob(CreateJobRequest.newBuilder().setJob(jobs.get(0)).build()))
        .isInstanceOf(StatusRuntimeException.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.deliveries().size() >= JOBS);
    try (HttpClient http = cluster.adminHttp()) {
      for (String id : cluster.ids()) {
        scrapes.put(id, scrape(http, id));
      }
    }
  }

  @AfterAll
  static void stop() {
    Closer.closeAll(cluster, receiver);
  }

  @Test
  void everyMetricTheDashboardAndTheAlertRulesMentionIsInTheScrape() throws IOException {
    Set<String> exported = new TreeSet<>();
    scrapes.values().forEach(s -> exported.addAll(names(s)));
    Set<String> mentioned = new TreeSet<>();
    mentioned.addAll(mentioned(repoFile(DASHBOARD)));
    mentioned.addAll(mentioned(repoFile(RULES)));

    assertThat(mentioned).as("metric names in the dashboard and the rules").hasSizeGreaterThan(20);
    assertThat(exported).as("metrics that the nodes export").containsAll(mentioned);
  }

  @Test
  void refusedCreatesAreCountedByReason() {
    String first = scrapes.get(cluster.ids().get(0));
    assertThat(first)
        .containsPattern(
            "horae_jobs_create_refused_total\\{[^}]*reason=\"already_exists\"[^}]*} 1(\\.0)?\\n");
    assertThat(first)
        .contains("reason=\"quota_rate\"")
        .contains("reason=\"disk_full\"")
        .contains("reason=\"overloaded\"");
  }

  @Test
  void everyNodeReportsItsStoresRocksDbFiguresAsNumbers() {
    for (String id : cluster.ids()) {
      String scrape = scrapes.get(id);
      // The store holds the cluster's first entries: a memtable, a block cache, no debt to speak
      // of.
      assertThat(value(scrape, "horae_rocksdb_memtable_bytes")).as(id).isPositive();
      assertThat(value(scrape, "horae_rocksdb_block_cache_usage_bytes")).as(id).isNotNegative();
      assertThat(value(scrape, "horae_rocksdb_pending_compaction_bytes")).as(id).isNotNegative();
      assertThat(value(scrape, "horae_rocksdb_l0_files")).as(id).isNotNegative();
      assertThat(value(scrape, "horae_rocksdb_compactions_running")).as(id).isNotNegative();
      assertThat(value(scrape, "horae_rocksdb_sst_bytes")).as(id).isNotNegative();
    }
  }

  @Test
  void latenessIsAHistogramWithBucketsFromMillisecondsToMinutes() {
    for (Map.Entry<String, String> e : scrapes.entrySet()) {
      List<Double> bounds = new ArrayList<>();
      Matcher m = LATENESS_BUCKET.matcher(e.getValue());
      while (m.find()) {
        bounds.add(
            m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1)));
      }
      assertThat(bounds)
          .as("lateness buckets of %s", e.getKey())
          .hasSizeBetween(10, 20)
          .contains(Double.POSITIVE_INFINITY);
      assertThat(bounds.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
          .as("smallest bucket, seconds")
          .isLessThanOrEqualTo(0.010);
      assertThat(
              bounds.stream()
                  .mapToDouble(Double::doubleValue)
                  .filter(Double::isFinite)
                  .max()
                  .orElseThrow())
          .as("largest finite bucket, seconds")
          .isGreaterThanOrEqualTo(120);
    }
    long counted = scrapes.values().stream().mapToLong(DashboardAndAlertsTest::latenessCount).sum();
    assertThat(counted).as("attempts in the lateness histograms").isGreaterThanOrEqualTo(JOBS);
  }

  @Test
  void theScrapePassesPromtoolCheckMetrics() throws Exception {
    Path promtool = promtool();
    for (Map.Entry<String, String> e : scrapes.entrySet()) {
      Promtool.Result r =
          Promtool.check(
              promtool, e.getValue().getBytes(StandardCharsets.UTF_8), "check", "metrics");
      List<String> problems =
          r.output()
              .lines()
              .filter(line -> !line.isBlank() && !LINT_ACCEPTED.contains(line.trim()))
              .toList();
      // Exit 3 is lint findings only; 1 is a scrape promtool could not parse.
      assertThat(r.exit())
          .as("promtool check metrics on the scrape of %s:%n%s", e.getKey(), r.output())
          .isIn(0, 3);
      assertThat(problems).as("promtool check metrics on the scrape of %s", e.getKey()).isEmpty();
    }
  }

  @Test
  void theAlertRulesPassPromtoolCheckRules() throws Exception {
    Path promtool = promtool();
    Promtool.Result r =
        Promtool.check(
            promtool, null, "check", "rules", repoFile(RULES).toAbsolutePath().toString());
    assertThat(r.exit()).as("promtool check rules %s:%n%s", RULES, r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  @Test
  void theDashboardQueriesParseAsPromQL() throws Exception {
    Path promtool = promtool();
    List<String> queries = new ArrayList<>();
    Matcher m = DASHBOARD_EXPR.matcher(Files.readString(repoFile(DASHBOARD)));
    while (m.find()) {
      // Grafana's variables, as Grafana would fill them in.
      queries.add(
          m.group(1)
              .replace("\\\"", "\"")
              .replace("\\\\", "\\")
              .replace("$__rate_interval", "5m")
              .replace("$node", ".*"));
    }
    assertThat(queries).as("queries of the dashboard").hasSizeGreaterThan(20);
    // promtool parses PromQL only in rule files: each query becomes a recording rule.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      rules
          .append("      - record: dashboard:query_")
          .append(i)
          .append("\n        expr: '")
          .append(queries.get(i).replace("'", "''"))
          .append("'\n");
    }
    Path file = tmp.resolve("dashboard-queries.yml");
    Files.writeString(file, rules);
    Promtool.Result r = Promtool.check(promtool, null, "check", "rules", file.toString());
    assertThat(r.exit())
        .as("promtool check rules on the dashboard's queries:%n%s%n%s", r.output(), rules)
        .isZero();
  }

  private static Path promtool() {
    Promtool.Found found = Promtool.find();
    if (found.path().isEmpty()) {
      System.out.println("promtool checks SKIPPED: " + found.why());
    }
    Assumptions.assumeTrue(
        found.path().isPresent(), () -> "promtool checks skipped: " + found.why());
    return found.path().orElseThrow();
  }

  private static String scrape(HttpClient http, String id)
      throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(cluster.adminUrl(id) + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET /metrics of %s", id).isEqualTo(200);
    return r.body();
  }

  /** The value of a series without labels other than the node's, NaN included; fails if absent. */
  private static double value(String scrape, String name) {
    Matcher m = Pattern.compile("^" + name + "\\{[^}]*} (\\S+)", Pattern.MULTILINE).matcher(scrape);
    assertThat(m.find()).as("%s in the scrape", name).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static long latenessCount(String scrape) {
    Matcher m =
        Pattern.compile("^horae_delivery_lateness_seconds_count\\{[^}]*} (\\S+)", Pattern.MULTILINE)
            .matcher(scrape);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
  }

  /**
   * Names of the series in a Prometheus text scrape, and of their families (a histogram's name,
   * say).
   */
  private static Set<String> names(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        names.add(line.split(" ")[2]);
      } else if (!line.isEmpty() && !line.startsWith("#")) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  private static Set<String> mentioned(Path file) throws IOException {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC_NAME.matcher(Files.readString(file));
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  /** A file of the repository: the tests run in server/, the ops files live beside it. */
  private static Path repoFile(Path relative) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException(relative + " not found above " + Path.of("").toAbsolutePath());
  }

  private static Job job(String name, long dueMs) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAtMs(dueMs))
        .setTarget(
            Target.newBuilder().setUrl(receiver.url("/ops")).setBody(ByteString.copyFromUtf8("{}")))
        .build();
  }
}
