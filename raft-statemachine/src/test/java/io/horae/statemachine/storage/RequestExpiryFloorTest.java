package io.horae.statemachine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Schedule;
import io.horae.internal.v1.Command;
import io.horae.internal.v1.Op;
import io.horae.statemachine.core.Family;
import io.horae.statemachine.core.Keys;
import io.horae.statemachine.core.Ops;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A create removes expired request records; the store remembers between entries the earliest expiry
 * its index holds, so a create seeks the index only when something may have expired, and what it
 * removes is what a store that remembers nothing removes.
 */
class RequestExpiryFloorTest {
  private static final long T0 = 1_000_000L;
  private static final long TTL = 86_400_000L;

  @Test
  void aCreateSeeksTheRequestIndexOnlyOnceARecordMayHaveExpired(@TempDir Path dir) {
    try (TempStore store = new TempStore(dir)) {
      store.apply(Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1"))));
      store.apply(Ops.of(create("a", "r-a", T0, TTL)));

      assertThat(requestScans(store, create("b", "r-b", T0 + 1_000, TTL)))
          .as("nothing expires before T0 + TTL")
          .isZero();
      assertThat(store.store.get(Family.REQUESTS, Keys.request(Ops.NS, "r-a"))).isNotNull();

      assertThat(requestScans(store, create("c", "r-c", T0 + TTL, TTL)))
          .as("r-a expires at T0 + TTL")
          .isEqualTo(1);
      assertThat(store.store.get(Family.REQUESTS, Keys.request(Ops.NS, "r-a"))).isNull();
      assertThat(store.store.get(Family.REQUESTS, Keys.request(Ops.NS, "r-b"))).isNotNull();
    }
  }

  @Test
  void aStoreThatRemembersTheFloorRemovesWhatAStoreReopenedBeforeEveryEntryRemoves(
      @TempDir Path dir) {
    try (TempStore remembering = new TempStore(dir.resolve("a"))) {
      TempStore forgetting = new TempStore(dir.resolve("b"));
      try {
        Command map = Ops.of(Ops.shardMap(0, 1, Ops.owners(4, "n1")));
        remembering.apply(map);
        forgetting.apply(map);
        for (int i = 0; i < 60; i++) {
          // Expiries of 0.3-3 s, creates 200 ms apart, and an entry of two now and then: records
          // expire in bursts, more than one create removes (8), and out of write order.
          long now = T0 + 200L * i;
          List<Op> ops = new ArrayList<>();
          ops.add(create("j" + i, "r" + i, now, 300 + (i * 7919L % 10) * 300));
          if (i % 9 == 0) {
            ops.add(create("k" + i, "s" + i, now, 100));
          }
          Command entry = Ops.of(ops.toArray(Op[]::new));
          remembering.apply(entry);
          forgetting.close();
          forgetting = new TempStore(dir.resolve("b")); // reopened: it knows no floor
          forgetting.apply(entry);
          assertThat(requests(remembering)).as("after entry %d", i).isEqualTo(requests(forgetting));
        }
      } finally {
        forgetting.close();
      }
    }
  }

  private static Op create(String name, String requestId, long nowMs, long ttlMs) {
    Op op =
        Ops.create(
            Ops.job(name, Schedule.newBuilder().setAtMs(nowMs + 60_000).build()),
            requestId,
            nowMs + 60_000,
            nowMs);
    return op.toBuilder()
        .setCreateJob(op.getCreateJob().toBuilder().setRequestExpiryMs(ttlMs))
        .build();
  }

  /** How many scans of the request family applying {@code op} as one entry makes. */
  private static int requestScans(TempStore store, Op op) {
    int[] scans = {0};
    store.applyEntry(
        Ops.of(op),
        tx ->
            new ForwardingTx(tx) {
              @Override
              public void scan(
                  Family family, byte[] from, byte[] to, int limit, EntryVisitor visitor) {
                if (family == Family.REQUESTS) {
                  scans[0]++;
                }
                super.scan(family, from, to, limit, visitor);
              }
            });
    return scans[0];
  }

  /** Every key of the request family, in order. */
  private static List<String> requests(TempStore store) {
    List<String> keys = new ArrayList<>();
    store.store.scan(
        Family.REQUESTS,
        new byte[0],
        new byte[] {(byte) 0xff},
        Integer.MAX_VALUE,
        (k, v) -> keys.add(Base64.getEncoder().encodeToString(k)));
    return keys;
  }
}
