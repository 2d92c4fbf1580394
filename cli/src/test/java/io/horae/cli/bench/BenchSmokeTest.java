package io.horae.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.horae.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code horae bench --tiny}: the cold start, the warm-up (again after the failover's restarts) and
 * every scenario at smoke size against a 3-node cluster of real node processes and the built-in
 * receiver. The report files exist and the figures are sane: everything delivered before the settle
 * time ended, nothing early, no job delivered under two keys, creates acknowledged at every level,
 * a ladder step per rate with its capacity verdict, and the cost per operation read from the node
 * processes. Speed itself is not asserted here (rule 4: the full run's report holds the numbers).
 */
class BenchSmokeTest {
  @TempDir Path out;

  @Test
  void aScenarioListedTwiceIsRefusedNamingTheFlagUnlessItIsTheBurst() throws Exception {
    Cli.Result r =
        Cli.horae("bench", "--scenarios", "burst,steady,steady", "--out", out.toString());

    assertThat(r.exitCode()).as("stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isEqualTo(2);
    assertThat(r.err()).contains("--scenarios: 'steady' is listed twice; only burst may repeat");
    try (Stream<Path> runs = Files.list(out)) {
      assertThat(runs).as("nothing started, nothing written").isEmpty();
    }
  }

  @Test
  void everyScenarioRunsAtTinySizeAndWritesASaneReport() throws Exception {
    Cli.Result r = Cli.horae("bench", "--tiny", "--out", out.toString());
    System.out.println(r.out());

    assertThat(r.exitCode()).as("stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
    Path dir;
    try (Stream<Path> runs = Files.list(out)) {
      dir = runs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(dir.resolve("index.html")).isNotEmptyFile();
    assertThat(dir.resolve("summary.md")).isNotEmptyFile();
    for (String png :
        List.of(
            "coldstart-late-over-time.png",
            "ladder-delivered.png",
            "ladder-p99.png",
            "create-rate.png",
            "burst-rate.png",
            "burst-share.png",
            "steady-lateness.png",
            "failover-late-over-time.png",
            "memory-heap.png",
            "memory-rss.png")) {
      assertThat(dir.resolve("charts").resolve(png)).as(png).isNotEmptyFile();
    }
    assertThat(Files.readString(dir.resolve("index.html")))
        .contains("data:image/png;base64,")
        .contains("cores");
    JsonObject scenarios =
        JsonParser.parseString(Files.readString(dir.resolve("report.json")))
            .getAsJsonObject()
            .getAsJsonObject("scenarios");
    assertThat(scenarios.keySet())
        .as("the ladder heads the report, the cold start ran first")
        .containsExactly("ladder", "coldstart", "create", "burst", "steady", "failover", "backlog");
    for (JsonElement level : scenarios.getAsJsonObject("create").getAsJsonArray("levels")) {
      assertThat(level.getAsJsonObject().get("creates_per_s").getAsLong())
          .as("creates/s of %s", level)
          .isPositive();
      assertThat(level.getAsJsonObject().get("cpu_ms_per_create").getAsDouble())
          .as("CPU-ms per create of %s", level)
          .isPositive();
    }
    JsonObject floor = scenarios.getAsJsonObject("create").getAsJsonObject("floor");
    assertThat(floor.get("calls_per_s").getAsLong()).as("the floor's calls/s").isPositive();
    assertThat(floor.get("cpu_ms_per_call").getAsDouble())
        .as("the floor's CPU-ms per call")
        .isPositive();
    for (String name : List.of("coldstart", "burst", "steady", "failover", "backlog")) {
      JsonObject s = scenarios.getAsJsonObject(name);
      assertThat(s.get("expected").getAsLong()).as("%s expected", name).isPositive();
      assertThat(s.get("undelivered_at_end").getAsLong())
          .as("%s undelivered at the end", name)
          .isZero();
      assertThat(s.get("early").getAsLong()).as("%s early", name).isZero();
    }
    JsonObject steadyCost = scenarios.getAsJsonObject("steady").getAsJsonObject("cost");
    assertThat(steadyCost.get("cpu_ms_per_execution").getAsDouble())
        .as("steady CPU-ms per execution")
        .isPositive();
    assertThat(steadyCost.get("allocated_bytes_per_execution").getAsLong())
        .as("steady bytes allocated per execution")
        .isPositive();
    JsonObject ladder = scenarios.getAsJsonObject("ladder");
    assertThat(ladder.getAsJsonArray("steps")).as("a ladder step per tiny rate").hasSize(2);
    for (JsonElement step : ladder.getAsJsonArray("steps")) {
      assertThat(step.getAsJsonObject().get("created_per_s").getAsLong())
          .as("created/s of %s", step)
          .isPositive();
      assertThat(step.getAsJsonObject().get("cpu_ms_per_delivery").getAsDouble())
          .as("CPU-ms per delivery of %s", step)
          .isPositive();
    }
    assertThat(ladder.get("capacity").getAsString()).isNotBlank();
    assertThat(
            Files.readString(dir.resolve("summary.md"))
                .lines()
                .filter(l -> l.startsWith("| "))
                .skip(1)
                .findFirst()
                .orElseThrow())
        .as("the first row of the summary")
        .startsWith("| ladder | capacity");
    for (String name : List.of("steady", "failover", "backlog")) {
      assertThat(scenarios.getAsJsonObject(name).get("jobs_with_several_keys").getAsLong())
          .as("%s: a job under two keys", name)
          .isZero();
    }
    assertThat(scenarios.getAsJsonObject("failover").getAsJsonArray("events").toString())
        .contains("kill leader")
        .contains("restart");
    assertThat(scenarios.getAsJsonObject("backlog").get("backlog_created").getAsLong())
        .isEqualTo(2_000);
    assertThat(scenarios.getAsJsonObject("backlog").get("notes").toString())
        .as("the failover restarted nodes: the backlog ran after a second warm-up")
        .contains("Measured after a second warm-up: failover restarted nodes");
    assertThat(scenarios.getAsJsonObject("backlog").get("baseline").getAsString())
        .as("its lateness without the backlog is measured again on the restarted JVMs")
        .isEqualTo("backlog-baseline");
    assertThat(
            scenarios.getAsJsonObject("backlog").getAsJsonObject("baseline_lateness_ms").has("p99"))
        .isTrue();
  }

  /**
   * {@code horae bench --scenarios tls}: the same burst on the bench's TLS cluster and on a second,
   * plaintext cluster it starts; the report gives each one's cost and the difference. How large the
   * difference is, is not asserted (rule 4).
   */
  @Test
  void theTlsScenarioMeasuresTheSameBurstWithTlsAndInPlaintextIgnoringAStaleContext()
      throws Exception {
    // A context left by an earlier `horae dev`, whose certificates are gone: the bench starts its
    // own cluster and must not read it.
    Path stale = out.resolve("stale-context");
    Files.writeString(
        stale,
        "context.dev.ca="
            + out.resolve("gone/ca.pem")
            + "\ncontext.dev.endpoints=127.0.0.1\\:7070\ncurrent-context=dev\n");
    Cli.Result r =
        Cli.horae(
            "--horaeconfig=" + stale,
            "bench",
            "--tiny",
            "--scenarios",
            "tls",
            "--no-cold-start",
            "--out",
            out.toString());
    System.out.println(r.out());

    assertThat(r.exitCode()).as("stdout:%n%s%nstderr:%n%s", r.out(), r.err()).isZero();
    Path dir;
    try (Stream<Path> runs = Files.list(out)) {
      dir = runs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    JsonObject tls =
        JsonParser.parseString(Files.readString(dir.resolve("report.json")))
            .getAsJsonObject()
            .getAsJsonObject("scenarios")
            .getAsJsonObject("tls");
    for (String mode : List.of("tls", "plaintext")) {
      JsonObject burst = tls.getAsJsonObject(mode);
      assertThat(burst.get("expected").getAsLong())
          .as("%s: jobs acknowledged", mode)
          .isEqualTo(mode.equals("tls") ? 600 : 300);
      assertThat(burst.get("undelivered_at_end").getAsLong())
          .as("%s: undelivered at the end", mode)
          .isZero();
      assertThat(burst.getAsJsonObject("delivery_cost").get("cpu_ms_per_delivery").getAsDouble())
          .as("%s: CPU-ms per delivery", mode)
          .isPositive();
    }
    assertThat(tls.getAsJsonObject("tls_cost").has("cpu_ms_per_delivery")).isTrue();
    assertThat(Files.readString(dir.resolve("summary.md"))).contains("TLS costs");
  }
}
