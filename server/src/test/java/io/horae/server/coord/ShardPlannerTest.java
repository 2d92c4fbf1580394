package io.horae.server.coord;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.ShardMap;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ShardPlannerTest {
  private static final int SHARDS = 64;

  @Test
  void anEvenMapOfLiveNodesNeedsNoMove() {
    assertThat(
            ShardPlanner.plan(
                Coordinator.evenMap(1, List.of("n1", "n2", "n3"), SHARDS),
                live("n1", "n2", "n3"),
                all("n1", "n2", "n3"),
                4))
        .isEmpty();
  }

  @Test
  void everyShardOfADeadNodeMovesAtOnceSpreadOverTheLiveOnesWithoutHandoff() {
    ShardMap map = Coordinator.evenMap(1, List.of("n1", "n2", "n3"), SHARDS);
    ShardPlanner.Plan plan =
        ShardPlanner.plan(map, live("n1", "n3"), all("n1", "n3"), 4).orElseThrow();
    assertThat(plan.owners()).doesNotContain("n2");
    assertThat(plan.liveHandoffs()).isEmpty();
    assertThat(Collections.frequency(plan.owners(), "n1")).isEqualTo(32);
    assertThat(Collections.frequency(plan.owners(), "n3")).isEqualTo(32);
    for (int s = 0; s < SHARDS; s++) {
      if (!map.getOwners(s).equals("n2")) {
        assertThat(plan.owners().get(s))
            .as("shard %d of a live node stays", s)
            .isEqualTo(map.getOwners(s));
      }
    }
  }

  @Test
  void aReturningNodeGetsShardsBackAFewAtATimeAsHandoffsUntilEven() {
    ShardMap map = Coordinator.evenMap(1, List.of("n1", "n3"), SHARDS);
    int rounds = 0;
    while (true) {
      var plan = ShardPlanner.plan(map, live("n1", "n2", "n3"), all("n1", "n2", "n3"), 4);
      if (plan.isEmpty()) {
        break;
      }
      assertThat(plan.get().liveHandoffs()).hasSizeLessThanOrEqualTo(4).isNotEmpty();
      for (int s : plan.get().liveHandoffs()) {
        assertThat(plan.get().owners().get(s)).isEqualTo("n2");
      }
      map =
          ShardMap.newBuilder()
              .setEpoch(map.getEpoch() + 1)
              .addAllOwners(plan.get().owners())
              .build();
      rounds++;
    }
    assertThat(rounds).isBetween(5, 7);
    for (String n : List.of("n1", "n2", "n3")) {
      assertThat(Collections.frequency(map.getOwnersList(), n))
          .as("shards of %s", n)
          .isBetween(21, 22);
    }
  }

  @Test
  void sharesFollowCapacity() {
    ShardMap map = Coordinator.evenMap(1, List.of("n1", "n2"), SHARDS);
    SortedMap<String, Integer> live = new TreeMap<>(Map.of("n1", 300, "n2", 100));
    for (int i = 0; i < 20; i++) {
      var plan = ShardPlanner.plan(map, live, live.keySet(), 4);
      if (plan.isEmpty()) {
        break;
      }
      map =
          ShardMap.newBuilder()
              .setEpoch(map.getEpoch() + 1)
              .addAllOwners(plan.get().owners())
              .build();
    }
    assertThat(Collections.frequency(map.getOwnersList(), "n1")).isEqualTo(48);
  }

  @Test
  void noLiveNodeMeansNoPlan() {
    assertThat(
            ShardPlanner.plan(
                Coordinator.evenMap(1, List.of("n1"), SHARDS), new TreeMap<>(), Set.of(), 4))
        .isEmpty();
  }

  @Test
  void aLiveNodeThatIsNoReceiverGetsNoShardsByRebalancing() {
    ShardMap map = Coordinator.evenMap(1, List.of("n1", "n3"), SHARDS);
    assertThat(ShardPlanner.plan(map, live("n1", "n2", "n3"), all("n1", "n3"), 4)).isEmpty();
  }

  @Test
  void orphansGoToReceiversOnlyWhileThereAreAny() {
    ShardMap map = Coordinator.evenMap(1, List.of("n1", "n2", "n3"), SHARDS);
    ShardPlanner.Plan toReceiver =
        ShardPlanner.plan(map, live("n1", "n3"), all("n3"), 4).orElseThrow();
    for (int s = 0; s < SHARDS; s++) {
      if (map.getOwners(s).equals("n2")) {
        assertThat(toReceiver.owners().get(s)).as("orphan shard %d", s).isEqualTo("n3");
      }
    }
    ShardPlanner.Plan noReceiver =
        ShardPlanner.plan(map, live("n1", "n3"), Set.of(), 4).orElseThrow();
    assertThat(noReceiver.owners()).doesNotContain("n2");
  }

  @Test
  void aNodeThatFailedAndReturnedTwiceEndsWithItsOwnShardsOfTheEvenMap() {
    ShardMap even = Coordinator.evenMap(1, List.of("n1", "n2", "n3"), SHARDS);
    ShardMap map = even;
    for (int round = 0; round < 2; round++) {
      map = settle(map, live("n1", "n3"), 1); // n2 is silent: its shards are orphaned.
      map =
          settle(map, live("n1", "n2", "n3"), round == 0 ? 2 : 100); // it returns, and fails again.
    }
    assertThat(map.getOwnersList()).isEqualTo(even.getOwnersList());
  }

  /** Applies up to {@code steps} plans. */
  private static ShardMap settle(ShardMap map, SortedMap<String, Integer> live, int steps) {
    for (int i = 0; i < steps; i++) {
      var plan = ShardPlanner.plan(map, live, live.keySet(), 4);
      if (plan.isEmpty()) {
        break;
      }
      map =
          ShardMap.newBuilder()
              .setEpoch(map.getEpoch() + 1)
              .addAllOwners(plan.get().owners())
              .build();
    }
    return map;
  }

  private static Set<String> all(String... ids) {
    return Set.of(ids);
  }

  @Test
  void everyShardOfALeavingNodeMovesAtOnceAsLiveHandoffsSpreadEvenly() {
    ShardMap map = Coordinator.evenMap(1, List.of("n1", "n2", "n3"), SHARDS);
    ShardPlanner.Plan plan =
        ShardPlanner.drain(map, live("n1", "n3"), java.util.Set.of("n2")).orElseThrow();
    assertThat(plan.owners()).doesNotContain("n2");
    assertThat(Collections.frequency(plan.owners(), "n1")).isEqualTo(32);
    assertThat(plan.moves()).isEqualTo(Collections.frequency(map.getOwnersList(), "n2"));
    for (int s = 0; s < SHARDS; s++) {
      boolean wasLeaving = map.getOwners(s).equals("n2");
      assertThat(plan.liveHandoffs().contains(s))
          .as("shard %d is a hand-off", s)
          .isEqualTo(wasLeaving);
    }
    ShardMap next = map.toBuilder().clearOwners().addAllOwners(plan.owners()).build();
    assertThat(ShardPlanner.drain(next, live("n1", "n3"), java.util.Set.of("n2"))).isEmpty();
  }

  private static SortedMap<String, Integer> live(String... ids) {
    SortedMap<String, Integer> m = new TreeMap<>();
    for (String id : ids) {
      m.put(id, 256);
    }
    return m;
  }
}
