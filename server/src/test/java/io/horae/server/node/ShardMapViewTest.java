package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.Command;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.StoreReader;
import io.horae.statemachine.storage.RocksStore;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cached view of the replica's shard map, over a real RocksDB replica. */
class ShardMapViewTest {
  @TempDir Path tmp;
  RocksStore store;
  long index;

  /** Run once, right after the view's next read of the store returned: an apply in between. */
  Runnable betweenReadAndCache;

  ShardMapView view;

  @BeforeEach
  void open() throws Exception {
    store = RocksStore.open(tmp.resolve("db"));
    StoreReader interleaved =
        new StoreReader() {
          @Override
          public byte[] get(Family family, byte[] key) {
            byte[] bytes = store.get(family, key);
            Runnable r = betweenReadAndCache;
            betweenReadAndCache = null;
            if (r != null) {
              r.run();
            }
            return bytes;
          }

          @Override
          public void scan(Family family, byte[] from, byte[] to, int limit, EntryVisitor visitor) {
            store.scan(family, from, to, limit, visitor);
          }
        };
    view = new ShardMapView(() -> interleaved);
  }

  @AfterEach
  void close() {
    store.close();
  }

  void applyMap(long epoch, String owner) {
    store.apply(
        1,
        ++index,
        Command.newBuilder()
            .addOps(
                Op.newBuilder()
                    .setSetShardMap(
                        SetShardMap.newBuilder()
                            .setExpectedEpoch(epoch - 1)
                            .setMap(ShardMap.newBuilder().setEpoch(epoch).addOwners(owner))))
            .build());
    view.invalidate(); // what NodeApplyListener does after each apply that changed the map
  }

  static long epoch(Optional<ShardMap> map) {
    return map.map(ShardMap::getEpoch).orElse(0L);
  }

  @Test
  void aMapReadJustBeforeAnApplyChangedItIsNotKeptAfterTheApply() {
    applyMap(1, "n1");
    betweenReadAndCache = () -> applyMap(2, "n2");

    assertThat(epoch(view.get())).as("the reader that raced the apply").isEqualTo(1);
    assertThat(epoch(view.get())).as("every read after the apply").isEqualTo(2);
    assertThat(view.get().orElseThrow().getOwners(0)).isEqualTo("n2");
  }

  @Test
  void theSameMapIsOneInstanceUntilTheNextChange() {
    applyMap(1, "n1");
    Optional<ShardMap> first = view.get();
    assertThat(view.get()).isSameAs(first);
    applyMap(2, "n2");
    assertThat(view.get()).isNotSameAs(first);
    assertThat(epoch(view.get())).isEqualTo(2);
  }
}
