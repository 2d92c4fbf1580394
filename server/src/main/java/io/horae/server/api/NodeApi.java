package io.horae.server.api;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.SnapshotRequest;
import io.horae.api.v1.SnapshotResponse;
import io.horae.internal.v1.LocalStatusReply;
import io.horae.internal.v1.LocalStatusRequest;
import io.horae.internal.v1.NodeReport;
import io.horae.internal.v1.NodeServiceGrpc;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.ReportAck;
import io.horae.internal.v1.ShardMapQuery;
import io.horae.server.coord.Liveness;
import io.horae.server.errors.Echo;
import io.horae.server.errors.GrpcErrors;
import io.horae.server.raft.Reader;
import io.horae.server.raft.UnavailableException;
import io.horae.server.tls.PeerIdentity;
import io.micrometer.core.instrument.Timer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Node-to-node: this node's own view, for ClusterService.GetStatus on any node (the leader adds how
 * long ago it heard each member); a snapshot of this node on request; and, on the leader, the
 * liveness reports that renew each node's lease. Reports from nodes outside the Raft configuration
 * are refused, so a removed node that keeps running gets no acks and fences itself. Served on the
 * internal port only; with TLS on, a report is accepted only from the node its certificate names.
 */
public final class NodeApi extends NodeServiceGrpc.NodeServiceImplBase {
  private final Supplier<LocalStatusReply> local;
  private final Supplier<CompletableFuture<SnapshotResponse>> snapshot;
  private final BooleanSupplier isLeader;
  private final LongSupplier term;
  private final Liveness liveness;
  private final Reader reader;
  private final LongSupplier appliedIndex;

  /** Nodes whose reports get no ack now (Coordinator.withholdsLease). */
  private final java.util.function.Predicate<String> withheld;

  /** The members' apply versions this node learned before it led (ApplyVersionGate#known). */
  private final Supplier<java.util.Map<String, Integer>> inheritedVersions;

  /** Receipt to answer of each acknowledged report on this node as leader (the ReadIndex round). */
  private final Timer answers;

  public NodeApi(
      Supplier<LocalStatusReply> local,
      Supplier<CompletableFuture<SnapshotResponse>> snapshot,
      BooleanSupplier isLeader,
      LongSupplier term,
      Liveness liveness,
      Reader reader,
      LongSupplier appliedIndex,
      java.util.function.Predicate<String> withheld,
      Supplier<java.util.Map<String, Integer>> inheritedVersions,
      Timer answers) {
    this.answers = answers;
    this.local = local;
    this.inheritedVersions = inheritedVersions;
    this.snapshot = snapshot;
    this.isLeader = isLeader;
    this.term = term;
    this.liveness = liveness;
    this.reader = reader;
    this.appliedIndex = appliedIndex;
    this.withheld = withheld;
  }

  /**
   * Records the report, then answers only after a linearizable read: Ratis confirms this node's
   * leadership with a majority first, so a deposed leader cannot renew anybody's lease.
   */
  @Override
  public void report(NodeReport report, StreamObserver<ReportAck> observer) {
    Optional<String> caller = PeerIdentity.current();
    if (caller.isPresent() && !caller.get().equals(report.getNodeId())) {
      // Checked before the report counts: a member cannot keep another one alive or speak for it.
      observer.onError(
          Status.PERMISSION_DENIED
              .withDescription(
                  "node "
                      + caller.get()
                      + " sent a report about node "
                      + Echo.value(report.getNodeId())
                      + "; a node reports only about itself")
              .asRuntimeException());
      return;
    }
    if (!isLeader.getAsBoolean()) {
      observer.onError(
          Status.FAILED_PRECONDITION.withDescription("not the leader").asRuntimeException());
      return;
    }
    if (!liveness.heard(report)) {
      observer.onError(
          Status.PERMISSION_DENIED
              .withDescription("node " + Echo.value(report.getNodeId()) + " is not a member")
              .asRuntimeException());
      return;
    }
    if (withheld.test(report.getNodeId())) {
      observer.onError(
          Status.UNAVAILABLE
              .withDescription(
                  "shards of "
                      + Echo.value(report.getNodeId())
                      + " are moving away; no lease until that map is applied")
              .asRuntimeException());
      return;
    }
    long termAtReceipt = term.getAsLong();
    long received = System.nanoTime();
    CompletableFuture<ReportAck> ack =
        reader
            .query(Query.newBuilder().setShardMap(ShardMapQuery.getDefaultInstance()).build())
            .thenApply(
                r -> {
                  if (!isLeader.getAsBoolean() || term.getAsLong() != termAtReceipt) {
                    throw new UnavailableException("leadership changed while acknowledging");
                  }
                  answers.record(System.nanoTime() - received, TimeUnit.NANOSECONDS);
                  ReportAck.Builder b =
                      ReportAck.newBuilder()
                          .setTerm(termAtReceipt)
                          .setMapEpoch(r.getShardMap().getEpoch())
                          .setAppliedIndex(appliedIndex.getAsLong())
                          .putAllMemberApplyVersions(
                              liveness.applyVersions(inheritedVersions.get()))
                          .addAllDisksLow(liveness.lowDisks())
                          .putAllHostsBehindMs(liveness.hostsBehind());
                  liveness
                      .behind()
                      .ifPresent(w -> b.setBehindMs(w.millis()).setBehindNode(w.nodeId()));
                  return b.build();
                });
    Replies.reply(ack, a -> a, observer);
  }

  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
    Replies.reply(snapshot.get(), r -> r, observer);
  }

  @Override
  public void localStatus(LocalStatusRequest request, StreamObserver<LocalStatusReply> observer) {
    try {
      observer.onNext(local.get());
      observer.onCompleted();
    } catch (RuntimeException e) {
      observer.onError(GrpcErrors.toStatus(e));
    }
  }
}
