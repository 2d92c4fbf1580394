package io.horae.server.api;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.AddNodeRequest;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.MembershipResponse;
import io.horae.api.v1.NodeStatus;
import io.horae.api.v1.RemoveNodeRequest;
import io.horae.api.v1.ShardOwner;
import io.horae.api.v1.SnapshotRequest;
import io.horae.api.v1.SnapshotResponse;
import io.horae.api.v1.TransferLeaderRequest;
import io.horae.api.v1.TransferLeaderResponse;
import io.horae.internal.v1.LocalStatusReply;
import io.horae.internal.v1.LocalStatusRequest;
import io.horae.internal.v1.Member;
import io.horae.internal.v1.NodeServiceGrpc;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.ShardMap;
import io.horae.server.config.HostPort;
import io.horae.server.errors.Echo;
import io.horae.server.errors.RejectedException;
import io.horae.server.member.MemberDirectory;
import io.horae.server.member.MembershipOps;
import io.horae.server.member.PeerChannels;
import io.horae.server.raft.UnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * ClusterService on any node. GetStatus asks every member of the Raft configuration for its own
 * view with a short deadline, takes the lease ages from the leader's answer, and adds the shard map
 * from the local replica; a member that does not answer is listed as UNREACHABLE. Membership
 * changes and leadership transfers run here through {@link MembershipOps} (Ratis finds the leader);
 * a snapshot of another node is forwarded to that node.
 */
public final class ClusterApi extends ClusterServiceGrpc.ClusterServiceImplBase {
  static final Duration PEER_DEADLINE = Duration.ofSeconds(1);

  private final String selfId;
  private final String groupId;
  private final MemberDirectory members;
  private final Supplier<LocalStatusReply> local;
  private final Supplier<Optional<ShardMap>> shardMap;
  private final Supplier<Optional<String>> leaderId;
  private final MembershipOps ops;
  private final Duration changeTimeout;
  private final PeerChannels channels;
  private final Supplier<io.horae.api.v1.StateDigest> digest;

  public ClusterApi(
      String selfId,
      String groupId,
      MemberDirectory members,
      Supplier<LocalStatusReply> local,
      Supplier<Optional<ShardMap>> shardMap,
      Supplier<Optional<String>> leaderId,
      MembershipOps ops,
      Duration changeTimeout,
      PeerChannels channels,
      Supplier<io.horae.api.v1.StateDigest> digest) {
    this.selfId = selfId;
    this.digest = digest;
    this.channels = channels;
    this.groupId = groupId;
    this.members = members;
    this.local = local;
    this.shardMap = shardMap;
    this.leaderId = leaderId;
    this.ops = ops;
    this.changeTimeout = changeTimeout;
  }

  @Override
  public void getStatus(GetStatusRequest request, StreamObserver<ClusterStatus> observer) {
    TreeSet<String> ids = new TreeSet<>(members.voters());
    ids.add(selfId); // A joining node that is not a member yet still shows itself.
    List<CompletableFuture<LocalStatusReply>> views = new ArrayList<>();
    for (String id : ids) {
      views.add(id.equals(selfId) ? here(local) : ask(id));
    }
    CompletableFuture<ClusterStatus> status =
        CompletableFuture.allOf(views.toArray(CompletableFuture[]::new))
            .thenApply(x -> assemble(views));
    Replies.reply(status, s -> s, observer);
  }

  @Override
  public void addNode(AddNodeRequest request, StreamObserver<MembershipResponse> observer) {
    Replies.reply(start(() -> ops.add(MembershipValidator.member(request))), r -> r, observer);
  }

  @Override
  public void removeNode(RemoveNodeRequest request, StreamObserver<MembershipResponse> observer) {
    Replies.reply(
        start(
            () -> {
              MembershipValidator.id("id", request.getId(), true);
              return ops.remove(request.getId());
            }),
        r -> r,
        observer);
  }

  @Override
  public void transferLeader(
      TransferLeaderRequest request, StreamObserver<TransferLeaderResponse> observer) {
    Replies.reply(
        start(
            () -> {
              MembershipValidator.id("target_id", request.getTargetId(), false);
              return ops.transferLeader(request.getTargetId());
            }),
        r -> r,
        observer);
  }

  @Override
  public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> observer) {
    Replies.reply(
        start(
            () -> {
              MembershipValidator.id("node_id", request.getNodeId(), false);
              String target =
                  request.getNodeId().isEmpty()
                      ? leaderId
                          .get()
                          .orElseThrow(() -> new UnavailableException("no leader is known"))
                      : request.getNodeId();
              if (target.equals(selfId)) {
                return ops.snapshotHere();
              }
              if (!members.voters().contains(target)) {
                throw new RejectedException(
                    RejectCode.REJECT_NOT_FOUND, "node " + Echo.value(target) + " is not a member");
              }
              return forward(
                  target,
                  ch ->
                      NodeServiceGrpc.newFutureStub(ch)
                          .withDeadlineAfter(changeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                          .snapshot(request));
            }),
        r -> r,
        observer);
  }

  @Override
  public void getStateDigest(
      io.horae.api.v1.GetStateDigestRequest request,
      StreamObserver<io.horae.api.v1.StateDigest> observer) {
    Replies.reply(here(digest), d -> d, observer);
  }

  /** Runs {@code call}, turning what it throws (bad input, say) into a failed future. */
  private static <T> CompletableFuture<T> start(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private ClusterStatus assemble(List<CompletableFuture<LocalStatusReply>> views) {
    ClusterStatus.Builder out =
        ClusterStatus.newBuilder().setGroupId(groupId).setAnsweredBy(selfId);
    Map<String, Long> ages = Map.of();
    for (CompletableFuture<LocalStatusReply> v : views) {
      NodeStatus n = v.join().getStatus();
      if (n.getRole().equals("LEADER") && n.getTerm() >= out.getTerm()) {
        out.setLeaderId(n.getId()).setTerm(n.getTerm());
        ages = v.join().getReportAgesMsMap();
      }
    }
    for (CompletableFuture<LocalStatusReply> v : views) {
      NodeStatus n = v.join().getStatus();
      out.addNodes(n.toBuilder().setLeaseAgeMs(ages.getOrDefault(n.getId(), -1L)));
      if (out.getLeaderId().isEmpty() && n.getId().equals(selfId)) {
        out.setTerm(n.getTerm());
      }
    }
    if (out.getLeaderId().isEmpty()) {
      // The leader did not answer in time (busy, or down): name the leader this node follows.
      leaderId.get().ifPresent(out::setLeaderId);
    }
    shardMap
        .get()
        .ifPresent(
            m -> {
              out.setShardEpoch(m.getEpoch()).setShardCount(m.getOwnersCount());
              for (int i = 0; i < m.getOwnersCount(); i++) {
                out.addShardOwners(
                    ShardOwner.newBuilder()
                        .setShard(i)
                        .setNodeId(m.getOwners(i))
                        .setEpoch(i < m.getShardEpochsCount() ? m.getShardEpochs(i) : 0)
                        .setHandoff(i < m.getHandoffCount() && m.getHandoff(i)));
              }
            });
    return out.build();
  }

  private CompletableFuture<LocalStatusReply> ask(String id) {
    Optional<Member> member = members.member(id);
    CompletableFuture<LocalStatusReply> out =
        member.isEmpty()
            ? CompletableFuture.failedFuture(new UnavailableException("no address known for " + id))
            : forward(
                id,
                ch ->
                    NodeServiceGrpc.newFutureStub(ch)
                        .withDeadlineAfter(PEER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .localStatus(LocalStatusRequest.getDefaultInstance()));
    return out.exceptionally(
        t ->
            LocalStatusReply.newBuilder()
                .setStatus(
                    NodeStatus.newBuilder()
                        .setId(id)
                        .setApiAddress(member.map(Member::getApiAddress).orElse(""))
                        .setRaftAddress(member.map(Member::getRaftAddress).orElse(""))
                        .setRole("UNREACHABLE")
                        .setReachable(false)
                        .setLeaseAgeMs(-1)
                        .setOwnLeaseAgeMs(-1)
                        .setError(io.grpc.Status.fromThrowable(t).getCode().name()))
                .build());
  }

  /**
   * One call to another member's internal API, at the address the member directory knows for it.
   */
  private <T> CompletableFuture<T> forward(
      String id, Function<ManagedChannel, ListenableFuture<T>> call) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Optional<HostPort> internal = members.internal(id);
    if (internal.isEmpty()) {
      out.completeExceptionally(new UnavailableException("no internal address known for " + id));
      return out;
    }
    ManagedChannel channel = channels.to(id, internal.get());
    Futures.addCallback(
        call.apply(channel),
        new FutureCallback<T>() {
          @Override
          public void onSuccess(T result) {
            out.complete(result);
          }

          @Override
          public void onFailure(Throwable t) {
            out.completeExceptionally(t);
          }
        },
        MoreExecutors.directExecutor());
    return out;
  }

  /**
   * Computes on the calling gRPC thread. Not {@code supplyAsync}: that runs on the JVM's common
   * pool, which has one thread on two cores, and Ratis 3.3 passes every follower log append through
   * it, so a digest of a large store there stalled this node's replication (docs/architecture.md,
   * "Threads").
   */
  private static <T> CompletableFuture<T> here(Supplier<T> work) {
    try {
      return CompletableFuture.completedFuture(work.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
