package io.horae.server.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.internal.v1.ReportAck;
import io.horae.server.config.LeaseConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's fence (docs/failover.md): a lease counted from the report's send time, and a map at
 * least as new as the leader's when it acknowledged. The keeper is driven by its acknowledgements
 * directly; it never reports here (no leader, no channel).
 */
class LeaseKeeperTest {
  static final long MS = 1_000_000L;

  final AtomicLong now = new AtomicLong(1_000 * MS);
  final AtomicLong appliedMapEpoch = new AtomicLong(4);
  final AtomicLong appliedIndex = new AtomicLong(100);
  final LeaseKeeper lease =
      new LeaseKeeper(
          "n1",
          id -> Optional.empty(),
          Optional::empty,
          () -> {
            throw new AssertionError("no report is sent in this test");
          },
          appliedMapEpoch::get,
          appliedIndex::get,
          () -> "test",
          new UnappliedEntriesTest.Entries(),
          new LeaseConfig(
              Duration.ofMillis(250), Duration.ofMillis(750), Duration.ofMillis(500), 1024),
          now::get,
          null,
          new SimpleMeterRegistry().timer("round_trips"),
          ack -> {});

  @AfterEach
  void close() {
    lease.close();
  }

  static ReportAck ack(long mapEpoch, long appliedIndex) {
    return ReportAck.newBuilder().setMapEpoch(mapEpoch).setAppliedIndex(appliedIndex).build();
  }

  @Test
  void aDecisionMadeOnAMapOlderThanTheAcknowledgedOneIsRefusedEvenOnceTheReplicaCaughtUp() {
    // A thawed node: its first fresh ack names epoch 5 (its shards moved while it was frozen).
    lease.acknowledged(now.get(), ack(5, 90), "n2");
    assertThat(lease.leaseFresh()).as("replica still on epoch 4").isFalse();

    // The replica applies epoch 5 between a caller's ownership check (on epoch 4) and its fence
    // check: the caller's decision is on the old map, and must not pass.
    appliedMapEpoch.set(5);
    assertThat(lease.leaseFresh(4)).isFalse();
    assertThat(lease.leaseFresh(5)).isTrue();
    assertThat(lease.leaseFresh()).isTrue();
  }

  @Test
  void theLeaseLastsItsDurationFromTheAcknowledgedReportsSendTimeNotFromItsArrival() {
    long sent = now.get();
    now.addAndGet(600 * MS); // a slow round trip, or a node frozen while the ack waited
    lease.acknowledged(sent, ack(4, 90), "n2");
    assertThat(lease.leaseFresh(4)).isTrue();

    now.set(sent + 749 * MS);
    assertThat(lease.leaseFresh(4)).isTrue();
    now.set(sent + 750 * MS);
    assertThat(lease.leaseFresh(4)).isFalse();
  }

  @Test
  void anAckOfAReportSentBeforeAFreezeDoesNotReopenTheFenceAfterTheThaw() {
    long sentBeforeFreeze = now.get();
    now.addAndGet(3_840 * MS); // frozen; the ack is read only after the thaw
    lease.acknowledged(sentBeforeFreeze, ack(4, 90), "n2");
    assertThat(lease.leaseFresh(4)).isFalse();
  }

  @Test
  void theReplicaMustHaveAppliedThePreviousAcksIndexBeforeTheFenceOpens() {
    lease.acknowledged(now.get(), ack(4, 90), "n2"); // the first ack fences at its own index
    appliedIndex.set(89);
    assertThat(lease.leaseFresh(4)).isFalse();
    appliedIndex.set(90);
    assertThat(lease.leaseFresh(4)).isTrue();

    lease.acknowledged(now.get(), ack(4, 200), "n2"); // later acks fence at the one before
    assertThat(lease.leaseFresh(4)).isTrue();
    lease.acknowledged(now.get(), ack(4, 210), "n2");
    assertThat(lease.leaseFresh(4))
        .as("200 not applied, and this log holds nothing past 90")
        .isFalse();
  }
}
