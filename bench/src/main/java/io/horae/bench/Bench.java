package io.horae.bench;

import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.NodeStatus;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the chosen scenarios against a local cluster it starts (or given endpoints) and writes the
 * report under {@code out/<timestamp>/}. Returns the report directory.
 */
public final class Bench {
  private static final Duration READY_MAX = Duration.ofSeconds(120);
  static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

  private Bench() {}

  /** The bench's client: of its own cluster (as its admin), or of --endpoints as given. */
  private static HoraeClient client(BenchOptions o, LocalCluster cluster) {
    if (cluster != null) {
      return cluster.clientBuilder().deadline(CALL_DEADLINE).build();
    }
    HoraeClient.Builder b = HoraeClient.builder().deadline(CALL_DEADLINE).endpoints(o.endpoints);
    if (o.bearerToken != null) {
      b.bearerToken(o.bearerToken);
    }
    if (o.plaintext) {
      b.usePlaintext();
    }
    if (o.caFile != null) {
      b.trustCertificates(o.caFile);
    }
    if (o.certFile != null) {
      b.clientCertificate(o.certFile, o.keyFile);
    }
    return b.build();
  }

  public static Path run(BenchOptions o, PrintWriter out) throws Exception {
    String stamp =
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir = Files.createDirectories(o.out.resolve(stamp));
    Progress progress = new Progress(out, Progress.stdoutIsTerminal());
    String run = Long.toString(System.currentTimeMillis(), 36);
    List<ScenarioResult> results = new ArrayList<>();
    LocalCluster cluster = null;
    MemorySampler memory = null;
    try (Receiver receiver = Receiver.start(o.arrivalsMax)) {
      if (o.endpoints == null) {
        out.printf(
            "starting %d nodes (heap %s each, %s%s) under %s%n",
            o.nodes,
            o.nodeHeap,
            String.join(" ", LocalCluster.nodeJvmOptions()),
            LocalCluster.nodeConfigOverridesText().isEmpty()
                ? ""
                : "; config " + LocalCluster.nodeConfigOverridesText(),
            dir.resolve("cluster"));
        cluster =
            LocalCluster.start(
                dir.resolve("cluster"),
                o.nodes,
                o.nodeHeap,
                o.jfr,
                o.certs,
                o.tls,
                o.aotCacheOutput);
        o.nodeAotCache = cluster.usesAotCache();
        out.printf(
            "nodes' ahead-of-time cache: %s%n",
            o.nodeAotCache ? System.getProperty("horae.node.aotCache") : "none");
        awaitReady(cluster, progress);
      }
      try (HoraeClient client = client(o, cluster)) {
        ClusterStatus status = awaitLeader(client, cluster);
        Map<String, String> admin = cluster != null ? cluster.adminUrls() : adminUrls(o.adminUrls);
        AdminHttp adminHttp =
            cluster != null ? cluster.adminHttp() : new AdminHttp(o.adminTrust, o.bearerToken);
        memory = new MemorySampler(admin, adminHttp, Duration.ofSeconds(1), 4_000);
        BenchContext ctx =
            new BenchContext(
                client,
                receiver,
                cluster,
                memory,
                new CostMeter(cluster, admin, adminHttp),
                o,
                progress,
                run);
        if (!o.coldStartDuration.isZero()) {
          if (cluster != null) {
            out.printf("== coldstart%n");
            results.add(printed(ColdStartScenario.run(ctx), out));
          } else {
            out.printf(
                "== coldstart skipped: the cluster at --endpoints is not one the bench has just started%n");
          }
        }
        boolean warmup = !o.warmupDuration.isZero();
        if (warmup) {
          out.printf("== warmup%n");
          Warmup.run(ctx);
        }
        ScenarioResult steady = null;
        boolean restartedSinceSteady = false;
        int bursts = 0;
        ScenarioResult previous = null;
        for (String name : o.scenarios) {
          boolean rewarmed = previous != null && previous.restartedNodes && warmup;
          if (rewarmed) {
            // A restarted node runs cold code (the cold start is a figure of its own); the next
            // scenario measures a warm cluster, like the first one.
            out.printf("== warmup again (%s restarted nodes)%n", previous.name);
            Warmup.run(ctx, "rewarm" + results.size());
          }
          out.printf("== %s%n", name);
          Waits.caughtUp(ctx);
          ScenarioResult r =
              switch (name) {
                case "ladder" -> LadderScenario.run(ctx);
                case "create" -> CreateScenario.run(ctx);
                case "burst" -> BurstScenario.run(ctx, ++bursts);
                case "tls" -> TlsCostScenario.run(ctx, dir);
                case "steady" ->
                    steady =
                        SteadyScenario.run(
                            ctx, "steady", o.steadyRate, o.steadyDuration.toSeconds(), null);
                case "failover" -> FailoverScenario.run(ctx);
                case "backlog" -> {
                  ScenarioResult baseline = steady;
                  if (steady == null || restartedSinceSteady) {
                    // The backlog's lateness is compared with a steady run on the same JVMs: one
                    // that a scenario restarted since is colder than it was then.
                    out.printf(
                        "   first the baseline, steady without the backlog (%s)%n",
                        steady == null ? "no steady run yet" : "nodes restarted since steady");
                    baseline =
                        SteadyScenario.run(
                            ctx,
                            "backlog-baseline",
                            o.steadyRate,
                            o.backlogSteadyDuration.toSeconds(),
                            null);
                    // Its figures are on the console too, so that the load block that follows is
                    // not read as the baseline.
                    printed(baseline, out);
                    out.printf("   then the same load with the backlog%n");
                    Waits.caughtUp(ctx);
                  }
                  yield BacklogScenario.run(ctx, baseline);
                }
                default ->
                    throw new IllegalArgumentException(
                        "unknown scenario " + name + "; known: " + BenchOptions.KNOWN);
              };
          if (rewarmed) {
            r.notes.add(
                "Measured after a second warm-up: "
                    + previous.name
                    + " restarted nodes, and a restarted node's code starts cold.");
          }
          results.add(printed(r, out));
          previous = r;
          if (r == steady) {
            restartedSinceSteady = false;
          } else if (r.restartedNodes) {
            restartedSinceSteady = true;
          }
        }
        Report.write(dir, Machine.facts(o, status), o.command, results);
      }
    } finally {
      if (memory != null) {
        memory.close();
      }
      if (cluster != null) {
        if (o.jfr || o.aotCacheOutput != null) {
          cluster.stopAll(); // SIGTERM: the JVMs write their recordings and caches as they exit
        }
        cluster.close();
      }
    }
    out.printf("report: %s%n", dir.resolve(Report.HTML));
    out.flush();
    return dir;
  }

  /**
   * Prints a scenario's rows. A scenario ends when all it created is delivered or its settle time
   * ran out; in the second case the next one starts while those may still arrive, and the report
   * says so (here and in the next scenario's notes, which count their arrivals).
   */
  private static ScenarioResult printed(ScenarioResult r, PrintWriter out) {
    r.headline.forEach((k, v) -> out.printf("   %-45s %s%n", k, v));
    long undelivered = r.count("undelivered_at_end");
    if (undelivered > 0) {
      r.notes.add(
          String.format(
              "The settle time ended with %,d executions undelivered; the next scenario started anyway, and they may arrive during it.",
              undelivered));
      out.printf(
          "   note: %,d undelivered when the settle time ended; the next scenario starts anyway%n",
          undelivered);
    }
    out.flush();
    return r;
  }

  static void awaitReady(LocalCluster cluster, Progress progress) throws InterruptedException {
    long deadline = System.currentTimeMillis() + READY_MAX.toMillis();
    while (!cluster.ids().stream().allMatch(cluster::ready)) {
      cluster.checkAlive();
      if (System.currentTimeMillis() > deadline) {
        throw new NodeFailedException(
            "the local cluster was not ready within "
                + READY_MAX.toSeconds()
                + " s"
                + cluster.notReadyReport());
      }
      progress.update("waiting for the nodes to be ready ...");
      Thread.sleep(200);
    }
    progress.done("nodes ready");
  }

  static ClusterStatus awaitLeader(HoraeClient client, LocalCluster cluster)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + READY_MAX.toMillis();
    while (true) {
      if (cluster != null) {
        cluster.checkAlive();
      }
      try {
        ClusterStatus s = client.clusterStatus();
        if (!s.getLeaderId().isEmpty()
            && s.getNodesList().stream().allMatch(NodeStatus::getReachable)) {
          return s;
        }
      } catch (RuntimeException e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "no leader with every node reachable within " + READY_MAX.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }

  /**
   * Given admin URLs, keyed by their position (the node ids of a remote cluster are not needed).
   */
  private static Map<String, String> adminUrls(List<String> urls) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < urls.size(); i++) {
      out.put("node" + (i + 1), urls.get(i));
    }
    return out;
  }
}
