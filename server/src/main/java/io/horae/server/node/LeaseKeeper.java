package io.horae.server.node;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Status;
import io.horae.internal.v1.NodeReport;
import io.horae.internal.v1.NodeServiceGrpc;
import io.horae.internal.v1.ReportAck;
import io.horae.server.config.HostPort;
import io.horae.server.config.LeaseConfig;
import io.horae.server.exec.Fence;
import io.horae.server.member.PeerChannels;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's side of the lease (DESIGN §6 step 5, docs/failover.md): reports to the leader every
 * heartbeat interval, and holds a lease that lasts {@code lease.duration} from the moment an
 * acknowledged report was <em>sent</em>. The node starts deliveries only while the lease is fresh
 * and it has applied the map epoch the leader acknowledged with, and the leader's applied index of
 * the acknowledgement before that one: a node fires from its own replica without a Raft round
 * (DESIGN §6), so its replica must not lag by more than about one heartbeat, or it could fire an
 * execution whose result, cancel or delete was committed long ago. The previous ack's index, not
 * the last one's, so that the ordinary few milliseconds of apply lag do not close the fence after
 * every acknowledgement.
 */
public final class LeaseKeeper implements Fence, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

  private final String selfId;

  /** The API address of a member, from the member directory; empty for an unknown id. */
  private final Function<String, Optional<HostPort>> internalOf;

  private final Supplier<Optional<String>> leaderId;
  private final Supplier<NodeReport> report;
  private final LongSupplier appliedMapEpoch;
  private final LongSupplier appliedIndex;

  /** The node's Raft log progress in words, for the log line of a long closure. */
  private final Supplier<String> raftProgress;

  /** Whether the committed entries this replica has not applied yet change nothing it fires. */
  private final UnappliedEntries unapplied;

  private final LeaseConfig config;
  private final LongSupplier nanos;
  private final PeerChannels channels;

  /** At most a lease's worth of reports on their way to the leader. */
  private final ReportWindow reports;

  /** The last acknowledged report's round trip, for the log line of a lapsed lease. */
  private volatile long lastRoundTripNanos = -1;

  /** Every acknowledged report's round trip (horae_lease_report_round_trip_seconds). */
  private final Timer roundTrips;

  private final ScheduledExecutorService timer;

  /** Closed time by reason; a closure of at least a lease is logged when it ends. */
  private final FenceWatch watch;

  /** Lease end on the monotonic clock; only ever moves forward. */
  private volatile long leaseUntilNanos;

  private volatile boolean everAcknowledged;
  private volatile long ackedMapEpoch;

  /**
   * The leader's applied index in the last ack, and in the one before (what must be applied here).
   */
  private volatile long lastAckIndex, fenceIndex;

  /** Who sent an ack, and when it arrived. */
  private record AckFrom(String leader, long atNanos) {}

  /**
   * The last ack (null before the first), and the last one from a different leader before it: a new
   * leader asks how long its predecessor has not answered this node ({@link #unansweredNanos}).
   */
  private volatile AckFrom lastAckFrom, previousLeaderAck;

  /** The leader's applied index in the first ack since this node started, and when it came. */
  private volatile long firstAckIndex, firstAckNanos;

  /** The last failed report's status in words, for {@link #notCaughtUpBecause}; null if none. */
  private volatile String lastReportFailure;

  /** Latched by {@link #caughtUp}. */
  private volatile boolean caughtUp;

  /**
   * Told every ack: the members' apply versions (ApplyVersionGate#learned), members low on disk
   * (DiskGuard#learned).
   */
  private final java.util.function.Consumer<ReportAck> onAck;

  public LeaseKeeper(
      String selfId,
      Function<String, Optional<HostPort>> internalOf,
      Supplier<Optional<String>> leaderId,
      Supplier<NodeReport> report,
      LongSupplier appliedMapEpoch,
      LongSupplier appliedIndex,
      Supplier<String> raftProgress,
      UnappliedEntries.Log log,
      LeaseConfig config,
      LongSupplier nanos,
      PeerChannels channels,
      Timer roundTrips,
      java.util.function.Consumer<ReportAck> onAck) {
    this.selfId = selfId;
    this.roundTrips = roundTrips;
    this.onAck = onAck;
    this.channels = channels;
    this.internalOf = internalOf;
    this.leaderId = leaderId;
    this.report = report;
    this.appliedMapEpoch = appliedMapEpoch;
    this.appliedIndex = appliedIndex;
    this.raftProgress = raftProgress;
    this.unapplied = new UnappliedEntries(config.unappliedPeekMax(), log);
    this.config = config;
    this.nanos = nanos;
    this.watch = new FenceWatch(config.duration().toNanos());
    this.reports =
        new ReportWindow(
            ReportWindow.forLease(
                config.duration().toNanos(), config.heartbeatInterval().toNanos()));
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("horae-lease-" + selfId).daemon().factory());
  }

  public LeaseKeeper start() {
    long every = config.heartbeatInterval().toMillis();
    timer.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Whether the fence is open for a decision made on the map this replica has applied. */
  public boolean leaseFresh() {
    return leaseFresh(appliedMapEpoch.getAsLong());
  }

  @Override
  public boolean leaseFresh(long mapEpoch) {
    long now = nanos.getAsLong();
    long applied = appliedIndex.getAsLong();
    long needed = fenceIndex;
    FenceWatch.Reason closed;
    if (!everAcknowledged || now - leaseUntilNanos >= 0) {
      closed = FenceWatch.Reason.NO_LEASE;
    } else if (mapEpoch < ackedMapEpoch) {
      closed = FenceWatch.Reason.MAP_BEHIND;
    } else if (applied < needed && !unapplied.harmless(applied, needed)) {
      closed = FenceWatch.Reason.APPLY_BEHIND;
    } else {
      closed = null;
    }
    watch
        .observe(closed, now, applied, needed, () -> leaseState() + "; " + raftProgress.get())
        .ifPresent(ended -> LOG.info("{} node={}", ended.describe(), selfId));
    return closed == null;
  }

  /**
   * Whether this replica has applied what the leader had applied when it first answered a report
   * since this node started: a restarted node has replayed its log and fetched what it missed.
   * Until then its own commit index says nothing (it knows only the entries it holds), and an
   * operator restarting the next node would take the group's majority with it. Stays true once
   * true: a node that later falls behind under load keeps its traffic; its fence guards firing.
   */
  public boolean caughtUp() {
    return caughtUp || latchCaughtUp();
  }

  private synchronized boolean latchCaughtUp() {
    if (!caughtUp && everAcknowledged) {
      long applied = appliedIndex.getAsLong();
      if (applied >= firstAckIndex) {
        caughtUp = true;
        LOG.info(
            "caught up with the leader: applied {}, the leader had applied {} when it first answered, {} ms ago node={}",
            applied,
            firstAckIndex,
            TimeUnit.NANOSECONDS.toMillis(nanos.getAsLong() - firstAckNanos),
            selfId);
      }
    }
    return caughtUp;
  }

  /** Seconds this node's fence was closed for {@code reason} since it started. */
  double fenceClosedSeconds(FenceWatch.Reason reason) {
    return watch.closedSeconds(reason, nanos.getAsLong());
  }

  /**
   * Why {@link #caughtUp} is false, in words: no report answered yet (with the last failure's
   * status, which names the cause, such as a leader that withholds the lease), or how far apply is
   * from the index of the first answer.
   */
  String notCaughtUpBecause() {
    if (!everAcknowledged) {
      String failure = lastReportFailure;
      return "the leader has not answered a lease report yet"
          + (failure == null ? "" : "; the last report failed: " + failure);
    }
    return "catching up: applied "
        + appliedIndex.getAsLong()
        + ", the leader had applied "
        + firstAckIndex
        + " when it first answered";
  }

  /** Milliseconds since the last acknowledged report, or -1 before the first. */
  public long leaseAgeMillis() {
    AckFrom last = lastAckFrom;
    return last == null ? -1 : TimeUnit.NANOSECONDS.toMillis(nanos.getAsLong() - last.atNanos());
  }

  void tick() {
    try {
      Optional<String> leader = leaderId.get();
      Optional<HostPort> internal = leader.flatMap(internalOf);
      if (internal.isEmpty()) {
        return;
      }
      String to = leader.get();
      java.util.OptionalLong place = reports.start(to);
      if (place.isEmpty()) {
        return;
      }
      long token = place.getAsLong();
      long sent = nanos.getAsLong();
      NodeReport r = report.get();
      Futures.addCallback(
          NodeServiceGrpc.newFutureStub(channels.to(leader.get(), internal.get()))
              .withDeadlineAfter(config.duration().toMillis(), TimeUnit.MILLISECONDS)
              .report(r),
          new FutureCallback<ReportAck>() {
            @Override
            public void onSuccess(ReportAck ack) {
              reports.arrived(token);
              long roundTrip = nanos.getAsLong() - sent;
              lastRoundTripNanos = roundTrip;
              roundTrips.record(roundTrip, TimeUnit.NANOSECONDS);
              acknowledged(sent, ack, to);
            }

            @Override
            public void onFailure(Throwable t) {
              reports.arrived(token);
              Status status = Status.fromThrowable(t);
              lastReportFailure =
                  "to "
                      + to
                      + ": "
                      + status.getCode()
                      + (status.getDescription() == null ? "" : " " + status.getDescription());
              LOG.debug("report to {} failed node={}", leader.get(), selfId, t);
            }
          },
          MoreExecutors.directExecutor());
    } catch (RuntimeException e) {
      reports.reset();
      LOG.warn("lease tick failed node={}", selfId, e);
    }
  }

  /** The lease's state in words, for the log line of a closure. */
  private String leaseState() {
    long rtt = lastRoundTripNanos;
    return "last ack "
        + leaseAgeMillis()
        + " ms ago, its round trip "
        + (rtt < 0 ? "n/a" : TimeUnit.NANOSECONDS.toMillis(rtt) + " ms")
        + ", reports waiting "
        + reports.inFlight();
  }

  /**
   * Nanoseconds since {@code leader} last answered one of this node's reports, if it is the leader
   * of the last ack or the one before it; empty otherwise. A new leader reads it for its
   * predecessor: one that stopped answering for lease + margin before the election need not be
   * waited for (docs/failover.md, "Why no two live owners start the same execution", case 2).
   */
  public OptionalLong unansweredNanos(String leader) {
    long now = nanos.getAsLong();
    for (AckFrom a : new AckFrom[] {lastAckFrom, previousLeaderAck}) {
      if (a != null && a.leader().equals(leader)) {
        return OptionalLong.of(now - a.atNanos());
      }
    }
    return OptionalLong.empty();
  }

  synchronized void acknowledged(long sentNanos, ReportAck ack, String from) {
    long until = sentNanos + config.duration().toNanos();
    if (!everAcknowledged || until - leaseUntilNanos > 0) {
      leaseUntilNanos = until;
    }
    ackedMapEpoch = Math.max(ackedMapEpoch, ack.getMapEpoch());
    // The first ack after a (re)start fences at its own index: a restarted node replays its log
    // before it fires anything.
    fenceIndex = Math.max(fenceIndex, everAcknowledged ? lastAckIndex : ack.getAppliedIndex());
    lastAckIndex = Math.max(lastAckIndex, ack.getAppliedIndex());
    if (!everAcknowledged) {
      firstAckIndex = ack.getAppliedIndex();
      firstAckNanos = nanos.getAsLong();
    }
    AckFrom last = lastAckFrom;
    if (last != null && !last.leader().equals(from)) {
      previousLeaderAck = last;
    }
    lastAckFrom = new AckFrom(from, nanos.getAsLong());
    everAcknowledged = true;
    onAck.accept(ack);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
