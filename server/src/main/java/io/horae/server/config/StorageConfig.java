package io.horae.server.config;

import io.horae.statemachine.storage.RocksStore;
import java.time.Duration;
import java.util.Objects;

/**
 * The data dir's free-space guard (docs/storage.md, "Disk full") and the store's block cache.
 *
 * @param minFreeBytes below this many usable bytes in the data dir's file system, the node counts
 *     as full and the cluster refuses client writes; the room left is for the node's own ops
 *     (results, shard maps), snapshots and RocksDB compactions. 0 turns the guard off.
 * @param freeSpaceCheckInterval how old a free-space reading may be before it is taken again
 * @param faultHooks whether the node honours the fault-injection file {@code
 *     <dataDir>/fault-usable-bytes} (a number of bytes the node then reports as usable; the chaos
 *     tests' disk-full fault). Off in production.
 * @param blockCacheBytes the capacity of RocksDB's block cache (uncompressed table blocks), one
 *     cache for every column family of the node's store
 */
public record StorageConfig(
    long minFreeBytes, Duration freeSpaceCheckInterval, boolean faultHooks, long blockCacheBytes) {
  /** Room for some minutes of results and shard maps, a snapshot's MANIFEST and a compaction. */
  public static final long MIN_FREE_BYTES_DEFAULT = 256L * 1024 * 1024;

  public static final Duration FREE_SPACE_CHECK_INTERVAL_DEFAULT = Duration.ofMillis(500);
  public static final boolean FAULT_HOOKS_DEFAULT = false;

  /** RocksDB's own default (docs/storage.md, "Block cache"). */
  public static final long BLOCK_CACHE_BYTES_DEFAULT = RocksStore.BLOCK_CACHE_BYTES_DEFAULT;

  public static final StorageConfig DEFAULTS =
      new StorageConfig(
          MIN_FREE_BYTES_DEFAULT,
          FREE_SPACE_CHECK_INTERVAL_DEFAULT,
          FAULT_HOOKS_DEFAULT,
          BLOCK_CACHE_BYTES_DEFAULT);

  public StorageConfig {
    Objects.requireNonNull(freeSpaceCheckInterval, "freeSpaceCheckInterval");
  }
}
