package io.horae.chaos;

import io.horae.api.v1.ClusterStatus;
import io.horae.chaos.check.Event;
import io.horae.chaos.check.HistoryWriter;
import io.horae.chaos.net.ChaosNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Injects one fault at a time into a running cluster, chosen by a seeded random source, and records
 * each as it starts and ends. Faults: kill -9 and restart of a node or of the leader,
 * SIGSTOP/SIGCONT for longer than a lease, network partitions (one node isolated, a minority cut
 * from the majority, a bridge), a node removed, its data wiped, and added back empty, and a node's
 * data dir full (the fault hook of storage.faultHooks) and then free again.
 */
public final class Nemesis {
  /** The kinds of fault, as recorded in the history. */
  public enum Fault {
    KILL,
    KILL_LEADER,
    PAUSE,
    ISOLATE,
    PARTITION,
    BRIDGE,
    WIPE,
    /**
     * A node's data dir reports less room than storage.minFreeBytes (the fault hook), then room
     * again.
     */
    DISK_FULL,
    /**
     * A node applies each Raft entry late (the fault hook: a disk that cannot keep up), then fast
     * again.
     */
    SLOW_DISK
  }

  /** What a nemesis can do to the cluster; implemented over real processes by the runner. */
  public interface Target {
    List<String> ids();

    ClusterStatus status();

    void kill(String id) throws Exception;

    void start(String id) throws Exception;

    void pause(String id) throws Exception;

    void resume(String id) throws Exception;

    void wipe(String id) throws Exception;

    /** Removes the node from the group (its shards move first). */
    void removeNode(String id) throws Exception;

    /** Starts a removed node in join mode and adds it back. */
    void rejoin(String id) throws Exception;

    /** Makes the node's data dir report no usable space (docs/storage.md, "Disk full"). */
    void diskFull(String id) throws Exception;

    /** Gives the node's data dir its real free space back. */
    void diskFree(String id) throws Exception;

    /** Makes the node apply each Raft entry {@code delayMs} late (docs/storage.md, "Slow disk"). */
    void diskSlow(String id, long delayMs) throws Exception;

    /** Makes the node's disk fast again. */
    void diskFast(String id) throws Exception;

    ChaosNet net();
  }

  /** One step of the cluster's undoing or repair. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /**
   * The slow disk's pause before each applied entry: far slower than the entries commit under the
   * workload.
   */
  static final long SLOW_DISK_DELAY_MS = 150;

  private final Target target;
  private final Random random;
  private final HistoryWriter history;
  private final List<Fault> faults;
  private final long holdMinMs;
  private final long holdMaxMs;

  /**
   * @param faults the kinds to choose from
   * @param holdMinMs shortest time a fault lasts; at least a lease plus margin makes it bite
   */
  public Nemesis(
      Target target,
      long seed,
      HistoryWriter history,
      List<Fault> faults,
      long holdMinMs,
      long holdMaxMs) {
    this.target = target;
    this.random = new Random(seed);
    this.history = history;
    this.faults = List.copyOf(faults);
    this.holdMinMs = holdMinMs;
    this.holdMaxMs = holdMaxMs;
  }

  /** Picks the next fault, applies it, holds it, and undoes it. Returns the fault applied. */
  public Fault strike(CountDownLatch stop) throws Exception {
    Fault f = faults.get(random.nextInt(faults.size()));
    List<String> ids = target.ids();
    long hold = holdMinMs + (long) (random.nextDouble() * (holdMaxMs - holdMinMs));
    switch (f) {
      case KILL, KILL_LEADER -> {
        String victim = f == Fault.KILL ? pick(ids) : leaderOr(ids);
        act(f == Fault.KILL ? "kill" : "leader", List.of(victim), () -> target.kill(victim));
        hold(hold, stop);
        act("start", List.of(victim), () -> target.start(victim));
      }
      case PAUSE -> {
        String victim = pick(ids);
        act("pause", List.of(victim), () -> target.pause(victim));
        hold(hold, stop);
        act("resume", List.of(victim), () -> target.resume(victim));
      }
      case ISOLATE -> {
        String victim = random.nextBoolean() ? leaderOr(ids) : pick(ids);
        List<String> rest = new ArrayList<>(ids);
        rest.remove(victim);
        partition(List.of(List.of(victim), rest), () -> target.net().isolate(victim));
        hold(hold, stop);
        act("heal", ids, () -> target.net().heal());
      }
      case PARTITION -> {
        List<String> shuffled = shuffled(ids);
        int minority = (ids.size() - 1) / 2;
        List<List<String>> groups =
            List.of(
                List.copyOf(shuffled.subList(0, minority)),
                List.copyOf(shuffled.subList(minority, ids.size())));
        partition(groups, () -> target.net().partition(groups));
        hold(hold, stop);
        act("heal", ids, () -> target.net().heal());
      }
      case BRIDGE -> {
        List<String> shuffled = shuffled(ids);
        int side = (ids.size() - 1) / 2;
        List<String> left = List.copyOf(shuffled.subList(0, side));
        String bridge = shuffled.get(side);
        List<String> right = List.copyOf(shuffled.subList(side + 1, ids.size()));
        partition(
            List.of(left, List.of(bridge), right), () -> target.net().bridge(left, bridge, right));
        hold(hold, stop);
        act("heal", ids, () -> target.net().heal());
      }
      case WIPE -> {
        // The operator procedure for a lost disk: remove, wipe, start in join mode, add.
        String victim = pick(ids);
        act("remove", List.of(victim), () -> target.removeNode(victim));
        act(
            "wipe",
            List.of(victim),
            () -> {
              target.kill(victim);
              target.wipe(victim);
            });
        hold(hold, stop);
        act("rejoin", List.of(victim), () -> target.rejoin(victim));
      }
      case DISK_FULL -> {
        // Every node refuses client writes while the victim's disk is low; reads, deliveries and
        // the nodes' own ops go on, so it is no fault of the victim for the checker.
        String victim = pick(ids);
        act("disk-full", List.of(victim), () -> target.diskFull(victim));
        hold(hold, stop);
        act("disk-free", List.of(victim), () -> target.diskFree(victim));
      }
      case SLOW_DISK -> {
        // The victim's replica falls behind the log: it fires nothing (its lease needs what the
        // leader had applied), and the leader moves its shards once its replica is stale.
        String victim = pick(ids);
        act("disk-slow", List.of(victim), () -> target.diskSlow(victim, SLOW_DISK_DELAY_MS));
        hold(hold, stop);
        act("disk-fast", List.of(victim), () -> target.diskFast(victim));
      }
    }
    return f;
  }

  /** Logs the action's invoke, runs it, and logs ok, or info when it threw (it may have acted). */
  private void act(String f, List<String> nodes, Action action) throws Exception {
    Event invoke =
        history.append(Event.nemesis(System.currentTimeMillis(), Event.Type.INVOKE, f, nodes));
    complete(invoke, action);
  }

  private void partition(List<List<String>> groups, Action action) throws Exception {
    Event invoke =
        history.append(Event.partition(System.currentTimeMillis(), Event.Type.INVOKE, groups));
    complete(invoke, action);
  }

  private void complete(Event invoke, Action action) throws Exception {
    try {
      action.run();
      history.append(invoke.complete(Event.Type.OK, System.currentTimeMillis()));
    } catch (Exception e) {
      history.append(
          invoke.complete(Event.Type.INFO, System.currentTimeMillis()).withError(e.toString()));
      throw e;
    }
  }

  private String pick(List<String> ids) {
    return ids.get(random.nextInt(ids.size()));
  }

  /** The leader as the cluster reports it; a random node when none is known. */
  private String leaderOr(List<String> ids) {
    try {
      String leader = target.status().getLeaderId();
      return leader.isEmpty() ? pick(ids) : leader;
    } catch (RuntimeException e) {
      return pick(ids);
    }
  }

  private List<String> shuffled(List<String> ids) {
    List<String> copy = new ArrayList<>(ids);
    java.util.Collections.shuffle(copy, random);
    return copy;
  }

  /** Keeps the fault in place for its duration, or until the run is told to stop. */
  private static void hold(long ms, CountDownLatch stop) throws InterruptedException {
    stop.await(ms, TimeUnit.MILLISECONDS);
  }
}
