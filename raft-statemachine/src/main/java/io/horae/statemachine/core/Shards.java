package io.horae.statemachine.core;

import java.nio.charset.StandardCharsets;

/**
 * shard = hash(jobKey) mod S, with a hash fixed forever (FNV-1a, 32 bit): it is part of the data.
 */
public final class Shards {
  private static final int FNV_OFFSET = 0x811c9dc5;
  private static final int FNV_PRIME = 0x01000193;

  private Shards() {}

  /**
   * Shard i of the map waits for an old owner's Released before its owner may fire it (a live
   * hand-off, DESIGN §6 step 5).
   */
  public static boolean handoffPending(io.horae.internal.v1.ShardMap map, int i) {
    return i < map.getHandoffCount() && map.getHandoff(i) && i < map.getHandoffFromCount();
  }

  public static int of(String namespace, String name, int shardCount) {
    if (shardCount <= 0) {
      throw new IllegalArgumentException("shardCount must be positive: " + shardCount);
    }
    int h = FNV_OFFSET;
    for (byte b : ExecutionIds.jobKey(namespace, name).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return Integer.remainderUnsigned(h, shardCount);
  }
}
