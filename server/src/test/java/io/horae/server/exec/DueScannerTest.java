package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import io.horae.internal.v1.AttemptResult;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.Complete;
import io.horae.internal.v1.CreateJob;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.Outcome;
import io.horae.internal.v1.SetShardMap;
import io.horae.internal.v1.ShardMap;
import io.horae.statemachine.core.ExecutionIds;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.StoreReader;
import io.horae.statemachine.storage.RocksStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's due scan over a real RocksDB replica: it starts each shard from a floor below which
 * the shard holds no live entry, so that the tombstones of delivered entries are not walked again
 * on every scan, and it still takes every live entry: one written behind the floor once apply
 * reports it, any one after a reset, and any one within a minute in any case.
 */
class DueScannerTest {
  private static final long T0 = 1_800_000_000_000L;
  private static final long NOW = T0 + 60_000;
  private static final long LOOKAHEAD = 5_000;
  private static final int PER_SHARD = 500;

  @TempDir Path tmp;
  private RocksStore store;
  private long index;
  private ShardMap map;
  private OwnerCore core;
  private DueScanner scanner;
  private final Map<String, Long> dueTimes = new HashMap<>();

  @BeforeEach
  void openAReplicaWhereThisNodeOwnsTheOneShardAndDeliveredAThousandEntries() throws Exception {
    store = RocksStore.open(tmp.resolve("db"));
    apply(
        Op.newBuilder()
            .setSetShardMap(
                SetShardMap.newBuilder().setMap(ShardMap.newBuilder().setEpoch(1).addOwners("n1")))
            .build());
    map = ShardMap.parseFrom(store.get(Family.META, Keys.META_SHARD_MAP));
    List<Op> creates = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      creates.add(create("done-" + i, T0 + i));
    }
    apply(creates.toArray(Op[]::new));
    Complete.Builder results = Complete.newBuilder().setNowMs(NOW);
    for (String id : dueIds()) {
      results.addResults(
          AttemptResult.newBuilder()
              .setExecutionId(id)
              .setOutcome(Outcome.OUTCOME_SUCCEEDED)
              .setAttemptNumber(1)
              .setHttpStatus(200)
              .setFinishedMs(NOW));
    }
    apply(Op.newBuilder().setComplete(results).build());
    assertThat(dueIds()).as("every entry delivered: only tombstones are left").isEmpty();
    core = new OwnerCore("n1", 100, 10, 1_000_000_000L);
    core.mapApplied(map);
    scanner = new DueScanner(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aScanThatFindsNothingLiveRaisesTheFloorToTheHorizon() {
    scan(NOW);

    assertThat(scanner.floor(0)).isEqualTo(Keys.dueFrom(0, NOW + LOOKAHEAD + 1));
  }

  @Test
  void theFloorStopsAtTheFirstLiveEntryAndTheScanTakesIt() {
    apply(create("soon", NOW + 1_000), create("later", NOW + 2_000));

    scan(NOW);

    assertThat(core.holds(idOf("soon"))).isTrue();
    assertThat(core.holds(idOf("later"))).isTrue();
    assertThat(scanner.floor(0)).isEqualTo(Keys.due(0, NOW + 1_000, idOf("soon")));
  }

  @Test
  void anEntryWrittenBehindTheFloorIsTakenOnceApplyReportsIt() {
    scan(NOW);
    apply(create("behind", NOW + 1_000));

    scanner.askFull();
    scan(NOW);
    assertThat(core.holds(idOf("behind")))
        .as("not reported yet: below the floor, where nothing live was")
        .isFalse();

    scanner.written(0, NOW + 1_000, idOf("behind"));
    scanner.askFull();
    scan(NOW);
    assertThat(core.holds(idOf("behind"))).isTrue();
  }

  @Test
  void aResetScansFromTimeZeroAndFindsAnUnreportedEntry() {
    scan(NOW);
    apply(create("behind", NOW + 1_000));

    scanner.reset();
    scan(NOW);

    assertThat(core.holds(idOf("behind"))).isTrue();
  }

  @Test
  void anUnreportedEntryBehindTheFloorIsStillTakenWithinAMinute() {
    scan(NOW);
    apply(create("behind", NOW + 1_000));

    scan(NOW + DueScanner.FLOOR_RESET_MILLIS / 2);
    assertThat(core.holds(idOf("behind"))).isFalse();

    scan(NOW + DueScanner.FLOOR_RESET_MILLIS);
    assertThat(core.holds(idOf("behind"))).isTrue();
  }

  @Test
  void withLittleRoomEachShardOffersAboutTwiceItsShareAndTheRoomIsStillFilled() throws Exception {
    try (RocksStore many = RocksStore.open(tmp.resolve("many"))) {
      int shards = 8;
      ShardMap.Builder owners = ShardMap.newBuilder().setEpoch(1);
      for (int i = 0; i < shards; i++) {
        owners.addOwners("n1");
      }
      List<Op> ops = new ArrayList<>();
      ops.add(Op.newBuilder().setSetShardMap(SetShardMap.newBuilder().setMap(owners)).build());
      for (int i = 0; i < 800; i++) {
        ops.add(create("soon-" + i, NOW + 1_000 + i));
      }
      many.apply(1, 1, Command.newBuilder().addAllOps(ops).build());
      ShardMap manyMap = ShardMap.parseFrom(many.get(Family.META, Keys.META_SHARD_MAP));
      int room = 200;
      OwnerCore small = new OwnerCore("n1", room, 10, 1_000_000_000L);
      small.mapApplied(manyMap);
      int[] read = new int[1];
      StoreReader counting =
          new StoreReader() {
            @Override
            public byte[] get(Family family, byte[] key) {
              return many.get(family, key);
            }

            @Override
            public void scan(
                Family family, byte[] from, byte[] to, int limit, EntryVisitor visitor) {
              many.scan(
                  family,
                  from,
                  to,
                  limit,
                  (k, v) -> {
                    read[0]++;
                    return visitor.visit(k, v);
                  });
            }
          };

      new DueScanner(counting).scan(manyMap, small, NOW, NOW + LOOKAHEAD, PER_SHARD);

      assertThat(small.free()).as("the room is filled").isZero();
      int share = Math.max(DueScanner.SHARD_SHARE_MIN, 2 * room / shards);
      assertThat(read[0])
          .as("entries read: about twice each shard's share, not the whole room from each shard")
          .isLessThanOrEqualTo(shards * share);
    }
  }

  private void scan(long nowMs) {
    scanner.scan(map, core, nowMs, nowMs + LOOKAHEAD, PER_SHARD);
  }

  private void apply(Op... ops) {
    store.apply(1, ++index, Command.newBuilder().addAllOps(List.of(ops)).build());
  }

  private Op create(String name, long atMs) {
    dueTimes.put(name, atMs);
    Job job =
        Job.newBuilder()
            .setNamespace("default")
            .setName(name)
            .setSchedule(Schedule.newBuilder().setAtMs(atMs))
            .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook").setMethod("POST"))
            .build();
    return Op.newBuilder()
        .setCreateJob(
            CreateJob.newBuilder()
                .setJob(job)
                .setNowMs(T0 - 1_000)
                .setFirstFireMs(atMs)
                .setRequestExpiryMs(86_400_000L))
        .build();
  }

  private String idOf(String name) {
    return ExecutionIds.of("default", name, dueTimes.get(name));
  }

  private List<String> dueIds() {
    List<String> ids = new ArrayList<>();
    store.scan(
        Family.DUE,
        Keys.dueFrom(0, 0),
        null,
        Integer.MAX_VALUE,
        (k, v) -> {
          ids.add(Keys.dueExecutionId(k));
          return true;
        });
    return ids;
  }
}
