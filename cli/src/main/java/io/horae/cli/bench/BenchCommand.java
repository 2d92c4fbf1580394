package io.horae.cli.bench;

import io.horae.bench.Bench;
import io.horae.bench.BenchOptions;
import io.horae.bench.CertMaker;
import io.horae.bench.NodeFailedException;
import io.horae.cli.common.ClientSettings;
import io.horae.cli.common.DurationConverter;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.common.TokenSource;
import io.horae.server.tls.CaTrust;
import io.horae.server.tls.ClusterCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code horae bench}: the reproducible benchmark (docs/bench.md). Starts a local cluster of node
 * processes (or drives the cluster named by an explicit {@code --endpoints}), runs the scenarios
 * with a built-in receiver on 127.0.0.1, and writes JSON, HTML and PNG charts under {@code
 * --out/<timestamp>/}. Options left out keep the full-run sizes, or the smoke sizes with {@code
 * --tiny}.
 */
@Command(
    name = "bench",
    description =
        "Benchmark a cluster: cold start, then ladder, create, burst, steady, failover, backlog; writes bench-results/<timestamp>/.")
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "Scenarios to run, in order (default: ladder, create, burst, steady, failover, backlog); tls (TLS against plaintext on a second cluster) runs only when named; burst may be listed more than once (burst-2, ... measure the same cluster again, warmer).")
  List<String> scenarios;

  @Option(
      names = "--tiny",
      description = "Every scenario at smoke size (about two minutes); what the test command runs.")
  boolean tiny;

  @Option(
      names = "--admin",
      split = ",",
      paramLabel = "URL",
      description =
          "With --endpoints: each node's admin URL (https://host:port when the nodes run with TLS, trusting --ca), for heap and RSS.")
  List<String> admin;

  @Option(
      names = "--nodes",
      paramLabel = "N",
      description = "Nodes of the local cluster, 3 or 5 (default 3).")
  Integer nodes;

  @Option(
      names = "--node-heap",
      paramLabel = "SIZE",
      description = "-Xmx of each local node (default 1g; 256m with --tiny).")
  String nodeHeap;

  @Option(
      names = "--jfr",
      description =
          "Record a JFR profile of each local node under <report>/cluster/ (for finding bottlenecks).")
  boolean jfr;

  @Option(
      names = "--aot-cache-output",
      paramLabel = "FILE",
      hidden = true,
      description =
          "Node n1 of the local cluster writes the JDK's ahead-of-time cache of this run to FILE as it stops (bin/lib/aot.sh trains the nodes' cache this way).")
  java.nio.file.Path aotCacheOutput;

  @Option(
      names = "--no-tls",
      description =
          "Run the local cluster with tls.enabled=false, to compare what TLS costs (default: TLS on, as in production; auth stays on).")
  boolean noTls;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Where reports go (default bench-results).")
  Path out;

  @Option(
      names = "--burst-jobs",
      paramLabel = "N",
      description = "Jobs due at one instant (default 100000).")
  Integer burstJobs;

  @Option(
      names = "--tls-cost-jobs",
      paramLabel = "N",
      description = "Jobs of the burst each cluster of the tls scenario delivers (default 20000).")
  Integer tlsCostJobs;

  @Option(
      names = "--steady-rate",
      paramLabel = "PER_S",
      description = "Executions due per second in steady, failover and backlog (default 1000).")
  Integer steadyRate;

  @Option(
      names = "--steady-duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Length of the steady load (default 60s).")
  Duration steadyDuration;

  @Option(
      names = "--failover-duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Length of the failover run (default 60s).")
  Duration failoverDuration;

  @Option(
      names = "--ladder-rates",
      split = ",",
      paramLabel = "PER_S",
      description =
          "The ladder's steps, executions due per second, climbed in this order (default 500,1000,2000,4000,8000,16000).")
  List<Integer> ladderRates;

  @Option(
      names = "--ladder-step",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Length of each ladder step (default 20s).")
  Duration ladderStep;

  @Option(
      names = "--cold-start",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Length of the cold-start load on the fresh local cluster (default 25s).")
  Duration coldStart;

  @Option(names = "--no-cold-start", description = "Skip the cold-start figure.")
  boolean noColdStart;

  @Option(
      names = "--no-warmup",
      description = "Skip the warm-up (the first scenario then runs on a cold cluster).")
  boolean noWarmup;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Unmeasured creates and deliveries before the scenarios (default 15s).")
  Duration warmup;

  @Option(
      names = "--warmup-burst",
      paramLabel = "N",
      description =
          "One-shot jobs due at one instant at the end of the warm-up (default 20000; 0: none).")
  Integer warmupBurst;

  @Option(
      names = "--warmup-creates",
      paramLabel = "N",
      description =
          "Single CreateJob calls, 64 in flight, at the end of the warm-up (default 10000; 0: none).")
  Integer warmupCreates;

  @Option(
      names = "--backlog-jobs",
      paramLabel = "N",
      description = "Pending executions loaded before the backlog's steady load (default 1000000).")
  Integer backlogJobs;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Jobs per CreateJobs call when loading (default 500).")
  Integer batch;

  @Override
  public Integer call() throws Exception {
    BenchOptions o = tiny ? BenchOptions.tiny() : BenchOptions.defaults();
    if (scenarios != null) {
      for (String s : scenarios) {
        if (!BenchOptions.KNOWN.contains(s)) {
          throw new ParameterException(
              spec.commandLine(),
              "--scenarios: unknown scenario '"
                  + s
                  + "'; known: "
                  + String.join(", ", BenchOptions.KNOWN));
        }
        if (!s.equals("burst") && scenarios.indexOf(s) != scenarios.lastIndexOf(s)) {
          throw new ParameterException(
              spec.commandLine(),
              "--scenarios: '" + s + "' is listed twice; only burst may repeat");
        }
      }
      o.scenarios = List.copyOf(scenarios);
    }
    if (nodes != null && nodes != 3 && nodes != 5) {
      throw new ParameterException(spec.commandLine(), "--nodes must be 3 or 5, got " + nodes);
    }
    positive("--burst-jobs", burstJobs);
    positive("--tls-cost-jobs", tlsCostJobs);
    positive("--steady-rate", steadyRate);
    positive("--backlog-jobs", backlogJobs);
    positive("--batch", batch);
    if (warmupBurst != null && warmupBurst < 0) {
      throw new ParameterException(
          spec.commandLine(), "--warmup-burst must be 0 or more, got " + warmupBurst);
    }
    if (warmupCreates != null && warmupCreates < 0) {
      throw new ParameterException(
          spec.commandLine(), "--warmup-creates must be 0 or more, got " + warmupCreates);
    }
    if (ladderRates != null) {
      ladderRates.forEach(rate -> positive("--ladder-rates", rate));
      o.ladderRates = List.copyOf(ladderRates);
    }
    if (batch != null && batch > 1000) {
      throw new ParameterException(
          spec.commandLine(),
          "--batch must be at most 1000 (the server's default api.createBatchMax), got " + batch);
    }
    // The inherited --endpoints, only when given on the command line: by default the bench starts
    // its own cluster.
    // The client settings (flags, environment, context file) apply only to a cluster named with
    // --endpoints: the bench's own cluster has its own CA and credentials, and a context left by
    // an earlier `horae dev` (whose certificates are gone) must not stop it.
    if (endpointsGiven()) {
      ClientSettings client = GlobalOptions.of(spec).settings();
      o.endpoints = client.endpoints();
      o.caFile = client.ca();
      o.certFile = client.cert();
      o.keyFile = client.key();
      o.plaintext = client.plaintext();
      o.bearerToken = client.token().map(TokenSource::read).orElse(null);
      o.adminTrust = client.ca() == null ? null : CaTrust.clientContext(client.ca());
    }
    // Its own cluster runs with TLS and auth on, as a real one does (the cost is part of what is
    // measured); --no-tls keeps auth, with the admin's token instead of its certificate.
    o.certs = BenchCommand::loopbackCerts;
    o.tls = !noTls;
    o.adminUrls = admin == null ? List.of() : List.copyOf(admin);
    o.nodes = nodes != null ? nodes : o.nodes;
    o.nodeHeap = nodeHeap != null ? nodeHeap : o.nodeHeap;
    o.out = out != null ? out : o.out;
    o.jfr = jfr;
    o.aotCacheOutput = aotCacheOutput;
    o.burstJobs = burstJobs != null ? burstJobs : o.burstJobs;
    o.tlsCostJobs = tlsCostJobs != null ? tlsCostJobs : o.tlsCostJobs;
    o.steadyRate = steadyRate != null ? steadyRate : o.steadyRate;
    o.steadyDuration = seconds("--steady-duration", steadyDuration, o.steadyDuration);
    o.failoverDuration = seconds("--failover-duration", failoverDuration, o.failoverDuration);
    o.ladderStep = seconds("--ladder-step", ladderStep, o.ladderStep);
    o.coldStartDuration =
        noColdStart ? Duration.ZERO : seconds("--cold-start", coldStart, o.coldStartDuration);
    o.warmupDuration = noWarmup ? Duration.ZERO : seconds("--warmup", warmup, o.warmupDuration);
    o.backlogJobs = backlogJobs != null ? backlogJobs : o.backlogJobs;
    o.warmupBurstJobs = warmupBurst != null ? warmupBurst : o.warmupBurstJobs;
    o.warmupCreates = warmupCreates != null ? warmupCreates : o.warmupCreates;
    o.batchSize = batch != null ? batch : o.batchSize;
    o.command = command();
    try {
      Bench.run(o, spec.commandLine().getOut());
    } catch (NodeFailedException e) {
      // A node exited or never became ready: its own last log lines, as they are (the one-line
      // error of other commands would run them together).
      spec.commandLine().getErr().println("horae: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private static CertMaker.Files loopbackCerts(Path dir, List<String> ids)
      throws java.io.IOException {
    ClusterCerts certs = ClusterCerts.loopback(dir, ids);
    Map<String, Path> certFiles = new LinkedHashMap<>();
    Map<String, Path> keyFiles = new LinkedHashMap<>();
    ids.forEach(id -> certFiles.put(id, certs.cert(id)));
    ids.forEach(id -> keyFiles.put(id, certs.key(id)));
    return new CertMaker.Files(
        certs.caCert(),
        certFiles,
        keyFiles,
        certs.cert(ClusterCerts.ADMIN),
        certs.key(ClusterCerts.ADMIN),
        certs.adminToken(),
        certs.accessFile(),
        CaTrust.clientContext(certs.caCert()));
  }

  private boolean endpointsGiven() {
    for (CommandLine c = spec.commandLine(); c != null; c = c.getParent()) {
      if (c.getParseResult() != null && c.getParseResult().hasMatchedOption("--endpoints")) {
        return true;
      }
    }
    return false;
  }

  private void positive(String flag, Integer value) {
    if (value != null && value <= 0) {
      throw new ParameterException(spec.commandLine(), flag + " must be positive, got " + value);
    }
  }

  private Duration seconds(String flag, Duration given, Duration otherwise) {
    if (given == null) {
      return otherwise;
    }
    if (given.toSeconds() < 1) {
      throw new ParameterException(spec.commandLine(), flag + " must be at least 1s, got " + given);
    }
    return given;
  }

  private String command() {
    // The root's parse result holds every argument, "bench" included.
    CommandLine root = spec.commandLine();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    List<String> args = new ArrayList<>(List.of("horae"));
    args.addAll(root.getParseResult().originalArgs());
    return String.join(" ", args);
  }
}
