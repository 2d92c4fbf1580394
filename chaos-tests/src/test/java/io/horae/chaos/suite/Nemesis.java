package io.horae.chaos.suite;

import io.horae.api.v1.ClusterStatus;
import io.horae.chaos.net.ChaosNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Injects one fault at a time into a running cluster, chosen by a seeded random source, and
 * records each as it starts and ends. Faults: kill -9 and restart of a node or of the leader,
 * SIGSTOP/SIGCONT for longer than a lease, network partitions (one node isolated, a minority
 * cut from the majority, a bridge), and a node stopped, its data wiped, and restarted empty.
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
    WIPE
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

    ChaosNet net();
  }

  /** Receives every fault as it begins ({@code start}) and as it is undone. */
  public interface Log {
    void fault(Fault fault, boolean start, List<String> nodes, List<List<String>> groups);
  }

  private final Target target;
  private final Random random;
  private final Log log;
  private final List<Fault> faults;
  private final long holdMinMs;
  private final long holdMaxMs;

  /**
   * @param faults the kinds to choose from
   * @param holdMinMs shortest time a fault lasts; at least a lease plus margin makes it bite
   */
  public Nemesis(Target target, long seed, Log log, List<Fault> faults, long holdMinMs, long holdMaxMs) {
    this.target = target;
    this.random = new Random(seed);
    this.log = log;
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
        log.fault(f, true, List.of(victim), List.of());
        target.kill(victim);
        hold(hold, stop);
        target.start(victim);
        log.fault(f, false, List.of(victim), List.of());
      }
      case PAUSE -> {
        String victim = pick(ids);
        log.fault(f, true, List.of(victim), List.of());
        target.pause(victim);
        hold(hold, stop);
        target.resume(victim);
        log.fault(f, false, List.of(victim), List.of());
      }
      case ISOLATE -> {
        String victim = random.nextBoolean() ? leaderOr(ids) : pick(ids);
        List<String> rest = new ArrayList<>(ids);
        rest.remove(victim);
        List<List<String>> groups = List.of(List.of(victim), rest);
        log.fault(f, true, List.of(victim), groups);
        target.net().partition(groups);
        hold(hold, stop);
        target.net().heal();
        log.fault(f, false, List.of(victim), groups);
      }
      case PARTITION -> {
        List<String> shuffled = shuffled(ids);
        int minority = (ids.size() - 1) / 2;
        List<List<String>> groups = List.of(List.copyOf(shuffled.subList(0, minority)), List.copyOf(shuffled.subList(minority, ids.size())));
        log.fault(f, true, groups.get(0), groups);
        target.net().partition(groups);
        hold(hold, stop);
        target.net().heal();
        log.fault(f, false, groups.get(0), groups);
      }
      case BRIDGE -> {
        List<String> shuffled = shuffled(ids);
        int side = (ids.size() - 1) / 2;
        List<String> left = List.copyOf(shuffled.subList(0, side));
        String bridge = shuffled.get(side);
        List<String> right = List.copyOf(shuffled.subList(side + 1, ids.size()));
        List<List<String>> groups = List.of(left, List.of(bridge), right);
        log.fault(f, true, List.of(bridge), groups);
        target.net().bridge(left, bridge, right);
        hold(hold, stop);
        target.net().heal();
        log.fault(f, false, List.of(bridge), groups);
      }
      case WIPE -> {
        String victim = pick(ids);
        log.fault(f, true, List.of(victim), List.of());
        target.kill(victim);
        target.wipe(victim);
        target.start(victim);
        hold(hold, stop);
        log.fault(f, false, List.of(victim), List.of());
      }
    }
    return f;
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
