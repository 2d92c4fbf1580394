package io.horae.chaos;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.GetStateDigestRequest;
import io.horae.api.v1.Job;
import io.horae.api.v1.ListExecutionsRequest;
import io.horae.api.v1.StateDigest;
import io.horae.chaos.check.CheckOptions;
import io.horae.chaos.check.Checker;
import io.horae.chaos.check.Event;
import io.horae.chaos.check.FinalState;
import io.horae.chaos.check.HistoryWriter;
import io.horae.chaos.check.Report;
import io.horae.chaos.check.ScheduleSpec;
import io.horae.chaos.net.ChaosNet;
import io.horae.client.HoraeClient;
import io.horae.server.cluster.Receiver;
import io.horae.statemachine.core.Executions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One jepsen-style run (docs/chaos.md): N real node processes behind a {@link ChaosNet}, client
 * workloads and a nemesis driven by one seed, for a given time; then every fault is healed, the
 * cluster settles, and the final state is read. The checker then reads only the files the run wrote
 * in its directory: the history, the receiver's log and the final state.
 */
final class ChaosRun {
  /** What a run is: its size, seed, length and the faults to choose from. */
  record Spec(
      int nodes,
      long seed,
      Duration length,
      int clients,
      long clientPauseMs,
      List<Nemesis.Fault> faults,
      long holdMinMs,
      long holdMaxMs) {}

  /**
   * An attempt that starts this soon after a cancel or delete was acknowledged counts as in flight:
   * the leader acknowledges once it applied the entry, and the shard's owner, a follower, learns of
   * it only when it applies the same entry, a few milliseconds later (the suite saw 3 ms). Before
   * that the owner may start an attempt it had every reason to make.
   */
  static final long INFLIGHT_TOLERANCE_MS = 1_000;

  /** How long the cluster may take to finish every execution after the faults healed. */
  static final Duration SETTLE_MAX = Duration.ofSeconds(90);

  private ChaosRun() {}

  static Report run(Path dir, Spec spec) throws Exception {
    Receiver receiver = new Receiver();
    try (HistoryWriter history = new HistoryWriter(dir.resolve(HistoryWriter.FILE));
        ProcessCluster cluster = ProcessCluster.start(dir, spec.nodes(), true);
        HoraeClient client = cluster.client()) {
      history.append(Event.run(System.currentTimeMillis(), spec.seed(), cluster.ids()));
      Random seeds = new Random(spec.seed());
      CountDownLatch stop = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      List<HoraeClient> clients = new ArrayList<>();
      for (int i = 0; i < spec.clients(); i++) {
        HoraeClient c = cluster.client();
        clients.add(c);
        ClientWorkload w =
            new ClientWorkload(
                "client-" + i,
                c,
                history,
                seeds.nextLong(),
                receiver.url("/chaos"),
                spec.clientPauseMs(),
                stop);
        threads.add(Thread.ofPlatform().name("chaos-client-" + i).start(w));
      }
      ChaosTarget target = new ChaosTarget(cluster, client);
      Nemesis nemesis =
          new Nemesis(
              target, seeds.nextLong(), history, spec.faults(), spec.holdMinMs(), spec.holdMaxMs());
      Random calm = new Random(seeds.nextLong());
      long until = System.currentTimeMillis() + spec.length().toMillis();
      try {
        while (System.currentTimeMillis() < until
            && !stop.await(1_000 + calm.nextInt(2_000), TimeUnit.MILLISECONDS)) {
          // One fault at a time, each on a cluster that recovered from the last one: the
          // guarantees hold for any minority of failures, not for a pile of them.
          if (healthy(cluster, client)) {
            nemesis.strike(stop);
          }
        }
      } finally {
        stop.countDown();
        for (Thread t : threads) {
          t.join(30_000);
        }
        clients.forEach(HoraeClient::close);
        healAll(cluster, target);
        history.append(Event.healAll(System.currentTimeMillis()));
        history.append(Event.end(System.currentTimeMillis()));
      }
      settle(client);
      FinalState state = finalState(cluster, client);
      state.write(dir.resolve(FinalState.FILE));
    } finally {
      receiver.close();
      DeliveryLog.write(dir, receiver);
    }
    return Checker.checkDir(
        dir, CheckOptions.defaults().withInflightToleranceMs(INFLIGHT_TOLERANCE_MS));
  }

  /**
   * Whether every node answers and has applied what the leader had committed (waits up to a
   * minute).
   */
  private static boolean healthy(ProcessCluster cluster, HoraeClient client) {
    try {
      cluster.awaitCaughtUp(client);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Every node running, resumed and connected, whatever a failed nemesis step left behind. */
  private static void healAll(ProcessCluster cluster, ChaosTarget target) throws Exception {
    cluster.net().heal();
    for (String id : cluster.ids()) {
      cluster.diskFree(id);
      cluster.diskFast(id);
    }
    for (String id : cluster.ids()) {
      if (target.outOfGroup().contains(id)) {
        if (cluster.isRunning(id)) {
          cluster.resume(id);
        }
        target.rejoin(id);
      } else if (!cluster.isRunning(id)) {
        cluster.startNode(id);
      } else {
        cluster.resume(id);
      }
    }
  }

  /**
   * Waits until no execution is left to deliver (a cluster that cannot finish is the checker's to
   * report).
   */
  private static void settle(HoraeClient client) {
    try {
      await()
          .atMost(SETTLE_MAX)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .until(
              () ->
                  client
                      .executions()
                      .listAll(ListExecutionsRequest.newBuilder().build())
                      .noneMatch(Executions::isLive));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Left to the checker: what never arrived is reported as missing.
    }
  }

  private static FinalState finalState(ProcessCluster cluster, HoraeClient client) {
    List<FinalState.Execution> executions =
        client
            .executions()
            .listAll(ListExecutionsRequest.newBuilder().build())
            .map(
                e ->
                    new FinalState.Execution(
                        e.getId(),
                        Executions.statusName(e.getStatus()),
                        e.getAttempt(),
                        e.getScheduledMs()))
            .toList();
    List<FinalState.Job> jobs = client.listAll("default").map(ChaosRun::job).toList();
    return new FinalState(digests(cluster), executions, jobs);
  }

  /**
   * Each node's digest, taken once all nodes have applied the same index (or as they are after a
   * minute).
   */
  private static Map<String, String> digests(ProcessCluster cluster) {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(300))
          .ignoreExceptions()
          .until(
              () -> {
                List<StateDigest> all =
                    cluster.ids().stream().map(id -> digest(cluster, id)).toList();
                out.clear();
                all.forEach(d -> out.put(d.getNodeId(), d.getAppliedIndex() + ":" + d.getSha256()));
                return all.stream().map(StateDigest::getAppliedIndex).distinct().count() == 1;
              });
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // Different indexes: the digests differ and the checker says so.
    }
    return out;
  }

  private static StateDigest digest(ProcessCluster cluster, String id) {
    ManagedChannel ch = cluster.adminChannel(id);
    try {
      return ClusterServiceGrpc.newBlockingStub(ch)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getStateDigest(GetStateDigestRequest.getDefaultInstance());
    } finally {
      ch.shutdownNow();
    }
  }

  private static FinalState.Job job(Job j) {
    ScheduleSpec schedule =
        j.getSchedule().hasEvery()
            ? ScheduleSpec.every(
                j.getSchedule().getEvery().getIntervalMs(),
                j.getSchedule().getEvery().getAnchorMs(),
                j.getSchedule().getMaxFires())
            : ScheduleSpec.at(j.getSchedule().getAtMs());
    return new FinalState.Job(
        j.getNamespace() + "/" + j.getName(),
        j.getState().name().replaceFirst("^JOB_STATE_", ""),
        schedule);
  }
}
