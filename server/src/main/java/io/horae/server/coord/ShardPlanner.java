package io.horae.server.coord;

import io.horae.internal.v1.ShardMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * Decides shard moves from the current map and the live nodes with their capacities. Pure: the same
 * inputs give the same plan. Shards of nodes that are not live all move at once (their lease has
 * run out); otherwise at most a few shards move, from the most over-loaded node to the most
 * under-loaded one, as hand-offs between live owners. Only receivers get shards: live nodes that
 * are caught up and have reported steadily for a while. A live node that is not a receiver keeps
 * what it has; orphaned shards go to it only when no receiver exists.
 */
public final class ShardPlanner {
  /** A new owner list, and which moved shards leave a live owner. */
  public record Plan(List<String> owners, List<Integer> liveHandoffs, int moves) {}

  private ShardPlanner() {}

  /**
   * @param live live node id to capacity (weights its share; values below 1 count as 1)
   * @param receivers the live nodes that may be given shards
   * @param rebalanceMovesMax most shards moved between live nodes in one plan
   * @return the plan, or empty when the map is already right
   */
  public static Optional<Plan> plan(
      ShardMap current,
      SortedMap<String, Integer> live,
      Set<String> receivers,
      int rebalanceMovesMax) {
    if (live.isEmpty()) {
      return Optional.empty();
    }
    List<String> takers = live.keySet().stream().filter(receivers::contains).toList();
    int shards = current.getOwnersCount();
    List<String> owners = new ArrayList<>(current.getOwnersList());
    Map<String, Integer> counts = new HashMap<>();
    live.keySet().forEach(n -> counts.put(n, 0));
    List<Integer> orphans = new ArrayList<>();
    for (int s = 0; s < shards; s++) {
      if (counts.containsKey(owners.get(s))) {
        counts.merge(owners.get(s), 1, Integer::sum);
      } else {
        orphans.add(s);
      }
    }
    double totalWeight = live.values().stream().mapToInt(c -> Math.max(1, c)).sum();
    Map<String, Double> target = new HashMap<>();
    live.forEach((n, c) -> target.put(n, shards * Math.max(1, c) / totalWeight));
    Comparator<String> mostUnder =
        Comparator.comparingDouble((String n) -> counts.get(n) - target.get(n))
            .thenComparing(Comparator.naturalOrder());
    List<String> homes = List.copyOf(live.keySet());
    if (!orphans.isEmpty()) {
      List<String> orphanTakers = takers.isEmpty() ? List.copyOf(live.keySet()) : takers;
      for (int s : orphans) {
        String to = orphanTakers.stream().min(mostUnder).orElseThrow();
        owners.set(s, to);
        counts.merge(to, 1, Integer::sum);
      }
      return Optional.of(new Plan(owners, List.of(), orphans.size()));
    }
    List<Integer> handoffs = new ArrayList<>();
    for (int m = 0; m < rebalanceMovesMax && !takers.isEmpty(); m++) {
      String under = takers.stream().min(mostUnder).orElseThrow();
      String over = live.keySet().stream().max(mostUnder).orElseThrow();
      double gap = (counts.get(over) - target.get(over)) - (counts.get(under) - target.get(under));
      if (gap <= 1.0 + 1e-9) {
        break; // One move would only swap which node is over.
      }
      int shard = pick(owners, over, under, homes);
      owners.set(shard, under);
      counts.merge(over, -1, Integer::sum);
      counts.merge(under, 1, Integer::sum);
      handoffs.add(shard);
    }
    return handoffs.isEmpty()
        ? Optional.empty()
        : Optional.of(new Plan(owners, List.copyOf(handoffs), handoffs.size()));
  }

  /**
   * Which of {@code over}'s shards goes to {@code under}: preferably one whose home is {@code
   * under}. A shard's home is where the even map puts it among the live nodes (shard i on the (i
   * mod N)-th node by id), so however shards moved while nodes came and went, rebalancing brings
   * the map back to the same even map, and the work each node gets does not depend on the history
   * of failures (with few jobs per shard, which shards a node holds matters as much as how many).
   */
  private static int pick(List<String> owners, String over, String under, List<String> homes) {
    for (int s = owners.size() - 1; s >= 0; s--) {
      if (owners.get(s).equals(over) && homes.get(s % homes.size()).equals(under)) {
        return s;
      }
    }
    return owners.lastIndexOf(over);
  }

  /**
   * Moves every shard owned by a draining node (one that is leaving the cluster, see
   * docs/failover.md, "Membership") to the live nodes, most under-loaded first, all at once and all
   * as live hand-offs: the new owners wait out the draining node's lease.
   *
   * @param live the nodes that may take shards (draining nodes excluded), with capacities
   * @param draining the nodes whose shards must move
   * @return the plan, or empty when no draining node owns a shard or no node can take them
   */
  public static Optional<Plan> drain(
      ShardMap current, SortedMap<String, Integer> live, java.util.Set<String> draining) {
    List<String> owners = new ArrayList<>(current.getOwnersList());
    List<Integer> moved = new ArrayList<>();
    for (int s = 0; s < owners.size(); s++) {
      if (draining.contains(owners.get(s))) {
        moved.add(s);
      }
    }
    if (moved.isEmpty() || live.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Integer> counts = new HashMap<>();
    live.keySet().forEach(n -> counts.put(n, 0));
    owners.forEach(o -> counts.computeIfPresent(o, (k, c) -> c + 1));
    double totalWeight = live.values().stream().mapToInt(c -> Math.max(1, c)).sum();
    Comparator<String> mostUnder =
        Comparator.comparingDouble(
                (String n) ->
                    counts.get(n) - owners.size() * Math.max(1, live.get(n)) / totalWeight)
            .thenComparing(Comparator.naturalOrder());
    for (int s : moved) {
      String to = live.keySet().stream().min(mostUnder).orElseThrow();
      owners.set(s, to);
      counts.merge(to, 1, Integer::sum);
    }
    return Optional.of(new Plan(owners, List.copyOf(moved), moved.size()));
  }
}
