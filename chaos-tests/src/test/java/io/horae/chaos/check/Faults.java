package io.horae.chaos.check;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * When each node was faulty, from the nemesis operations of a history. A fault starts at the invoke
 * of the nemesis operation and lasts until the operation that undoes it completes: kill, leader
 * (kill of the leader) and wipe until the node's next start or rejoin (a remove before a wipe is
 * orderly and is no fault); pause until its resume; partition until the next heal; everything until
 * the runner's heal-all; and to the end of time when never undone. Operations that failed
 * (definitely did not happen) cause no fault. The windows are deliberately generous: a fault that
 * might have been in effect counts.
 */
public final class Faults {
  /** A closed interval of wall-clock time during which a node was faulty. */
  public record Window(String node, String kind, long fromMs, long toMs) {
    boolean overlaps(long startMs, long endMs) {
      return fromMs <= endMs && toMs >= startMs;
    }
  }

  private final Map<String, List<Window>> byNode;

  private Faults(Map<String, List<Window>> byNode) {
    this.byNode = byNode;
  }

  public static Faults of(History history) {
    Map<String, List<Window>> byNode = new TreeMap<>();
    // Open faults per node: kind -> start time.
    Map<String, Map<String, Long>> open = new HashMap<>();
    Set<String> cluster = new HashSet<>(history.nodes());
    for (Op op : history.ops()) {
      boolean nemesis = op.invoke().isNemesis();
      boolean healAll = Event.RUNNER.equals(op.process()) && op.f().equals("heal-all");
      if ((!nemesis && !healAll) || !op.mayHaveHappened()) {
        continue;
      }
      switch (op.f()) {
        case "kill", "leader", "wipe" -> open(open, op.invoke().nodes(), "down", op);
        case "pause" -> open(open, op.invoke().nodes(), "paused", op);
        case "partition" -> open(open, cutOff(op.invoke(), cluster), "cut", op);
        case "disk-full", "disk-free" -> {
          // A full disk stops client writes (refused: fail, never acknowledged) on every node;
          // the victim still applies, reports and delivers, so it excuses nothing.
        }
        case "disk-slow" -> open(open, op.invoke().nodes(), "slow", op);
        case "disk-fast" -> close(open, byNode, op.invoke().nodes(), "slow", op.doneMs());
        case "remove" -> {
          // An orderly removal moves the node's shards as hand-offs: it excuses nothing.
        }
        case "start", "rejoin" -> close(open, byNode, op.invoke().nodes(), "down", op.doneMs());
        case "resume" -> close(open, byNode, op.invoke().nodes(), "paused", op.doneMs());
        case "heal" -> close(open, byNode, List.copyOf(open.keySet()), "cut", op.doneMs());
        case "heal-all" -> {
          open.forEach(
              (node, kinds) ->
                  kinds.forEach(
                      (kind, from) -> add(byNode, new Window(node, kind, from, op.doneMs()))));
          open.clear();
        }
        default -> {
          // Another nemesis operation: not a fault of a node we know how to undo; count it as
          // a fault of its nodes until heal-all.
          open(open, op.invoke().nodes(), op.f(), op);
        }
      }
    }
    open.forEach(
        (node, kinds) ->
            kinds.forEach(
                (kind, from) -> add(byNode, new Window(node, kind, from, Long.MAX_VALUE))));
    return new Faults(byNode);
  }

  /** Whether {@code node} was faulty at some time in [fromMs, toMs]; false for an unknown node. */
  public boolean faultyDuring(String node, long fromMs, long toMs) {
    if (node == null) {
      return false;
    }
    return byNode.getOrDefault(node, List.of()).stream().anyMatch(w -> w.overlaps(fromMs, toMs));
  }

  public List<Window> windows(String node) {
    return node == null ? List.of() : byNode.getOrDefault(node, List.of());
  }

  /**
   * The nodes a partition cuts off: those outside a group holding a strict majority of the cluster
   * (the run's nodes, else every node named in the groups).
   */
  static List<String> cutOff(Event partition, Set<String> cluster) {
    Set<String> all = new HashSet<>(cluster);
    partition.groups().forEach(all::addAll);
    all.addAll(partition.nodes());
    List<String> out = new ArrayList<>();
    for (String node : all) {
      boolean inMajority =
          partition.groups().stream().anyMatch(g -> g.contains(node) && g.size() * 2 > all.size());
      if (!inMajority) {
        out.add(node);
      }
    }
    return out;
  }

  private static void open(
      Map<String, Map<String, Long>> open, List<String> nodes, String kind, Op op) {
    for (String node : nodes) {
      open.computeIfAbsent(node, n -> new HashMap<>()).putIfAbsent(kind, op.invokeMs());
    }
  }

  private static void close(
      Map<String, Map<String, Long>> open,
      Map<String, List<Window>> byNode,
      List<String> nodes,
      String kind,
      long atMs) {
    for (String node : nodes) {
      Map<String, Long> kinds = open.get(node);
      Long from = kinds == null ? null : kinds.remove(kind);
      if (from != null) {
        add(byNode, new Window(node, kind, from, atMs));
      }
      if (kinds != null && kinds.isEmpty()) {
        open.remove(node);
      }
    }
  }

  private static void add(Map<String, List<Window>> byNode, Window w) {
    byNode.computeIfAbsent(w.node(), n -> new ArrayList<>()).add(w);
  }
}
