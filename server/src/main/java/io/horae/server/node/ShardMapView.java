package io.horae.server.node;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.internal.v1.ShardMap;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The local replica's shard map, re-read only when an applied entry changed it.
 *
 * <p>A reader that read the store just before an apply changed the map must not leave that map in
 * the cache after the apply's {@link #invalidate}: the cache would keep the old map until the next
 * map change. Each invalidation starts a new generation, and a map read in an earlier generation is
 * returned to its reader but never kept.
 */
final class ShardMapView implements Supplier<Optional<ShardMap>> {
  private final Supplier<StoreReader> store;

  /** A map and the generation it was read in. */
  private record Cached(long generation, Optional<ShardMap> map) {}

  /** Bumped by every {@link #invalidate}, after the apply committed the new map. */
  private final AtomicLong generation = new AtomicLong();

  /** The map of the current generation, or of an older one (then read again). */
  private final AtomicReference<Cached> cached = new AtomicReference<>();

  ShardMapView(Supplier<StoreReader> store) {
    this.store = store;
  }

  void invalidate() {
    generation.incrementAndGet();
  }

  @Override
  public Optional<ShardMap> get() {
    long g = generation.get();
    Cached c = cached.get();
    if (c != null && c.generation() == g) {
      return c.map();
    }
    // Read after the generation: a map committed before the invalidation that started g is seen.
    byte[] bytes = store.get().get(Family.META, Keys.META_SHARD_MAP);
    Optional<ShardMap> map;
    try {
      map = bytes == null ? Optional.empty() : Optional.of(ShardMap.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored shard map does not parse", e);
    }
    // Kept only if no invalidation came since g (a newer reader's entry is not replaced by ours).
    // One instance per generation: the owner loop tells a new map by identity.
    Cached kept =
        cached.accumulateAndGet(
            new Cached(g, map),
            (old, mine) -> old != null && old.generation() >= mine.generation() ? old : mine);
    return kept.generation() == g ? kept.map() : map;
  }
}
