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
 * are pushed by apply instead ({@link Executor#due}); a full scan runs when a push found no room,
 * and every {@link #FULL_SCAN_MILLIS} (an entry that left the window without a result is behind its
 * cursor).
 *
 * <p>A full scan starts each shard from its floor: a due key below which the shard holds no live
 * entry. Delivered entries are deleted, and RocksDB keeps their tombstones until a compaction; a
 * seek from time 0 skipped every one of them, so on a node that had delivered tens of thousands of
 * executions each scan walked them all, up to fifty times a second (issue 11's profile: the owner
 * loop took more than half a core with nothing due). The floor is the first key the last scan from
 * the floor found, or the horizon when it found none; every due entry that apply writes in one of
 * this node's shards lowers it ({@link #written}), before the loop scans again. It goes back to
 * time 0 ({@link #reset}) when the map changed, a snapshot was installed, or an event was lost, and
 * every {@link #FLOOR_RESET_MILLIS} as a safety net.
 */
final class DueScanner {
  /** Longest time between two full scans. */
  static final long FULL_SCAN_MILLIS = 1_000;

  /** Longest time between two scans from time 0. */
  static final long FLOOR_RESET_MILLIS = 60_000;

  /**
   * Fewest entries a scan reads from each shard while the window has room for that many: with
   * little room, each shard offers about twice its share of it rather than all of it.
   */
  static final int SHARD_SHARE_MIN = 32;

  /** A due entry a scan read; {@code taken} once it is in the window. */
  private static final class Candidate {
    final byte[] key;
    final String id;
    final long dueMs;
    final int priority;
    final int shard;
    final long shardEpoch;
    boolean taken;

    Candidate(byte[] key, String id, long dueMs, int priority, int shard, long shardEpoch) {
      this.key = key;
      this.id = id;
      this.dueMs = dueMs;
      this.priority = priority;
      this.shard = shard;
      this.shardEpoch = shardEpoch;
    }
  }

  private static final Comparator<Candidate> BEST_FIRST =
      Comparator.<Candidate>comparingInt(c -> -c.priority).thenComparingLong(c -> c.dueMs);

  private final StoreReader store;

  /** The last due key taken (or found held) per shard; a shard without one is scanned from 0. */
  private final Map<Integer, byte[]> cursors = new HashMap<>();

  /** Per shard, a due key below which the shard holds no live entry; a shard without one: 0. */
  private final Map<Integer, byte[]> floors = new HashMap<>();

  private long lastFullMs = Long.MIN_VALUE;
  private long lastResetMs;
  private boolean fullAsked = true;

  DueScanner(StoreReader store) {
    this.store = store;
  }

  /** The next scan starts every shard from its floor. */
  void askFull() {
    fullAsked = true;
  }

  /** The next scan starts every shard from time 0: what is below a floor is no longer known. */
  void reset() {
    fullAsked = true;
    floors.clear();
  }

  /** Apply wrote a live due entry of this node's shard: the shard's floor is at most its key. */
  void written(int shard, long dueMs, String id) {
    byte[] floor = floors.get(shard);
    if (floor != null) {
      byte[] key = Keys.due(shard, dueMs, id);
      if (Arrays.compareUnsigned(key, floor) < 0) {
        floors.put(shard, key);
      }
    }
  }

  /** The shard's floor, or null when it is scanned from time 0; tests read it. */
  byte[] floor(int shard) {
    return floors.get(shard);
  }

  /**
   * Highest priority first across all shards, then earliest due, as many as the window has room
   * for; each shard offers at most {@code perShardMax} per scan, and at most about twice its share
   * of the room (at least {@link #SHARD_SHARE_MIN}). Offering every shard the whole room made a
   * scan of a nearly full window read twenty times what it could take, fifty times a second, while
   * a burst was delivered (issue 11's profile: looking the entries up in the window was the owner
   * loop's hottest frame).
   */
  void scan(ShardMap map, OwnerCore core, long nowMs, long horizonMs, int perShardMax) {
    if (nowMs - lastResetMs >= FLOOR_RESET_MILLIS) {
      lastResetMs = nowMs;
      reset();
    }
    boolean full = fullAsked || nowMs - lastFullMs >= FULL_SCAN_MILLIS;
    if (full) {
      fullAsked = false;
      lastFullMs = nowMs;
      cursors.clear();
    }
    int free = core.free();
    List<Integer> shards = core.scannable();
    if (free <= 0 || shards.isEmpty()) {
      return;
    }
    int share = Math.max(SHARD_SHARE_MIN, (2 * free + shards.size() - 1) / shards.size());
    int perShard = Math.min(Math.min(free, perShardMax), share);
    List<Candidate> candidates = new ArrayList<>();
    Map<Integer, List<Candidate>> byShard = new HashMap<>();
    for (int shard : shards) {
      long shardEpoch = map.getShardEpochs(shard);
      byte[] cursor = cursors.get(shard);
      byte[] floor = floors.get(shard);
      byte[] to = Keys.dueFrom(shard, horizonMs + 1);
      if (cursor == null && floor != null && Arrays.compareUnsigned(floor, to) >= 0) {
        continue; // nothing live before the horizon
      }
      byte[] from =
          cursor != null
              ? Arrays.copyOf(cursor, cursor.length + 1)
              : floor != null ? floor : Keys.dueFrom(shard, 0);
      List<Candidate> mine = new ArrayList<>();
      store.scan(
          Family.DUE,
          from,
          to,
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
      if (cursor == null) {
        // Scanned from the floor: nothing live lies between it and the first key found.
        floors.put(shard, mine.isEmpty() ? to : mine.get(0).key);
      }
      candidates.addAll(mine);
      byShard.put(shard, mine);
    }
    candidates.sort(BEST_FIRST);
    for (Candidate c : candidates) {
      if (core.free() <= 0) {
        break; // the rest are met again by the next scan
      }
      c.taken = core.holds(c.id) || core.scanned(c.id, c.dueMs, c.priority, c.shard, c.shardEpoch);
    }
    // A cursor passes only keys that are in the window now: one left out for room is met again.
    byShard.forEach(
        (shard, mine) -> {
          for (Candidate c : mine) {
            if (!c.taken) {
              return;
            }
            cursors.put(shard, c.key);
          }
        });
  }
}
