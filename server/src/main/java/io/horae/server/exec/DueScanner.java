package io.horae.server.exec;

import io.horae.internal.v1.ShardMap;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Takes due entries of the shards this node may fire into the owner's window (loop thread only).
 *
 * <p>A scan continues each shard from a cursor, the last due key it took, up to the horizon: a full
 * pass over every held entry on every scan was the executor's hottest loop (issue 7's profile), and
 * with the window full of work due in the next seconds it walked thousands of keys fifty times a
 * second. Entries written behind a cursor (a create due sooner than the horizon, a retry, a replay)
 * are pushed by apply instead ({@link Executor#due}); a full scan from time 0 runs when the map
 * changed, when a push found no room, and every {@link #FULL_SCAN_MILLIS} as a safety net (a
 * restored snapshot, a dropped event).
 */
final class DueScanner {
  /** Longest time between two full scans. */
  static final long FULL_SCAN_MILLIS = 1_000;

  private record Candidate(
      byte[] key, String id, long dueMs, int priority, int shard, long shardEpoch) {}

  private final StoreReader store;

  /** The last due key taken (or found held) per shard; a shard without one is scanned from 0. */
  private final Map<Integer, byte[]> cursors = new HashMap<>();

  private long lastFullMs = Long.MIN_VALUE;
  private boolean fullAsked = true;

  DueScanner(StoreReader store) {
    this.store = store;
  }

  /** The next scan starts every shard from time 0. */
  void askFull() {
    fullAsked = true;
  }

  /**
   * Highest priority first across all shards, then earliest due, as many as the window has room
   * for; each shard taken at most {@code perShardMax} per scan.
   */
  void scan(ShardMap map, OwnerCore core, long nowMs, long horizonMs, int perShardMax) {
    boolean full = fullAsked || nowMs - lastFullMs >= FULL_SCAN_MILLIS;
    if (full) {
      fullAsked = false;
      lastFullMs = nowMs;
      cursors.clear();
    }
    int perShard = Math.min(core.free(), perShardMax);
    if (perShard <= 0) {
      return;
    }
    List<Candidate> candidates = new ArrayList<>();
    Map<Integer, List<Candidate>> byShard = new HashMap<>();
    for (int shard : core.scannable()) {
      long shardEpoch = map.getShardEpochs(shard);
      byte[] cursor = cursors.get(shard);
      byte[] from =
          cursor == null ? Keys.dueFrom(shard, 0) : Arrays.copyOf(cursor, cursor.length + 1);
      List<Candidate> mine = new ArrayList<>();
      store.scan(
          Family.DUE,
          from,
          Keys.dueFrom(shard, horizonMs + 1),
          perShard,
          (key, value) -> {
            mine.add(
                new Candidate(
                    key,
                    Keys.dueExecutionId(key),
                    Keys.dueMillis(key),
                    value.length > 0 ? value[0] : 0,
                    shard,
                    shardEpoch));
            return true;
          });
      candidates.addAll(mine);
      byShard.put(shard, mine);
    }
    candidates.sort(
        Comparator.comparingInt(Candidate::priority)
            .reversed()
            .thenComparingLong(Candidate::dueMs));
    java.util.Set<Candidate> taken =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Candidate c : candidates) {
      if (core.holds(c.id())
          || core.scanned(c.id(), c.dueMs(), c.priority(), c.shard(), c.shardEpoch())) {
        taken.add(c);
      }
    }
    // A cursor passes only keys that are in the window now: one left out for room is met again.
    byShard.forEach(
        (shard, mine) -> {
          for (Candidate c : mine) {
            if (!taken.contains(c)) {
              return;
            }
            cursors.put(shard, c.key());
          }
        });
  }
}
