package io.horae.server.node;

import com.google.protobuf.InvalidProtocolBufferException;
import io.horae.internal.v1.ShardMap;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import java.util.Optional;
import java.util.function.Supplier;

/** The local replica's shard map, re-read only when an applied entry changed it. */
final class ShardMapView implements Supplier<Optional<ShardMap>> {
  private final Supplier<StoreReader> store;

  /** Cached map; null means "read again". */
  private volatile Optional<ShardMap> cached;

  ShardMapView(Supplier<StoreReader> store) {
    this.store = store;
  }

  void invalidate() {
    cached = null;
  }

  @Override
  public Optional<ShardMap> get() {
    Optional<ShardMap> c = cached;
    if (c != null) {
      return c;
    }
    byte[] bytes = store.get().get(Family.META, Keys.META_SHARD_MAP);
    try {
      c = bytes == null ? Optional.empty() : Optional.of(ShardMap.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored shard map does not parse", e);
    }
    cached = c;
    return c;
  }
}
