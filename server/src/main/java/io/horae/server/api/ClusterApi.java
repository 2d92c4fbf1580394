package io.horae.server.api;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.GetStatusRequest;
import io.horae.api.v1.NodeStatus;
import io.horae.api.v1.ShardOwner;
import io.horae.internal.v1.LocalStatusRequest;
import io.horae.internal.v1.NodeServiceGrpc;
import io.horae.internal.v1.ShardMap;
import io.horae.server.config.PeerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * ClusterService.GetStatus on any node: asks every peer for its own view (role, term, commit and
 * applied index) with a short deadline, and adds the shard owners from the local replica. A peer
 * that does not answer is listed as UNREACHABLE, not left out.
 */
public final class ClusterApi extends ClusterServiceGrpc.ClusterServiceImplBase implements AutoCloseable {
  static final Duration PEER_DEADLINE = Duration.ofSeconds(1);

  private final String selfId;
  private final String groupId;
  private final List<PeerConfig> peers;
  private final Supplier<NodeStatus> local;
  private final Supplier<Optional<ShardMap>> shardMap;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public ClusterApi(String selfId, String groupId, List<PeerConfig> peers, Supplier<NodeStatus> local, Supplier<Optional<ShardMap>> shardMap) {
    this.selfId = selfId;
    this.groupId = groupId;
    this.peers = peers;
    this.local = local;
    this.shardMap = shardMap;
  }

  @Override
  public void getStatus(GetStatusRequest request, StreamObserver<ClusterStatus> observer) {
    List<CompletableFuture<NodeStatus>> views = new ArrayList<>();
    for (PeerConfig p : peers) {
      views.add(p.id().equals(selfId) ? CompletableFuture.supplyAsync(local) : ask(p));
    }
    CompletableFuture<ClusterStatus> status =
        CompletableFuture.allOf(views.toArray(CompletableFuture[]::new)).thenApply(x -> assemble(views));
    Replies.reply(status, s -> s, observer);
  }

  private ClusterStatus assemble(List<CompletableFuture<NodeStatus>> views) {
    ClusterStatus.Builder out = ClusterStatus.newBuilder().setGroupId(groupId).setAnsweredBy(selfId);
    NodeStatus mine = views.get(indexOf(selfId)).join();
    for (CompletableFuture<NodeStatus> v : views) {
      NodeStatus n = v.join();
      out.addNodes(n);
      if (n.getRole().equals("LEADER") && n.getTerm() >= out.getTerm()) {
        out.setLeaderId(n.getId()).setTerm(n.getTerm());
      }
    }
    if (out.getLeaderId().isEmpty()) {
      out.setTerm(mine.getTerm());
    }
    shardMap
        .get()
        .ifPresent(
            m -> {
              out.setShardEpoch(m.getEpoch()).setShardCount(m.getOwnersCount());
              for (int i = 0; i < m.getOwnersCount(); i++) {
                out.addShardOwners(ShardOwner.newBuilder().setShard(i).setNodeId(m.getOwners(i)));
              }
            });
    return out.build();
  }

  private int indexOf(String id) {
    for (int i = 0; i < peers.size(); i++) {
      if (peers.get(i).id().equals(id)) {
        return i;
      }
    }
    throw new IllegalStateException("self " + id + " is not among the peers");
  }

  private CompletableFuture<NodeStatus> ask(PeerConfig p) {
    CompletableFuture<NodeStatus> out = new CompletableFuture<>();
    ManagedChannel channel =
        channels.computeIfAbsent(p.id(), id -> NettyChannelBuilder.forAddress(p.api().host(), p.api().port()).usePlaintext().build());
    Futures.addCallback(
        NodeServiceGrpc.newFutureStub(channel)
            .withDeadlineAfter(PEER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .localStatus(LocalStatusRequest.getDefaultInstance()),
        new FutureCallback<>() {
          @Override
          public void onSuccess(NodeStatus result) {
            out.complete(result);
          }

          @Override
          public void onFailure(Throwable t) {
            out.complete(
                NodeStatus.newBuilder()
                    .setId(p.id())
                    .setApiAddress(p.api().toString())
                    .setRaftAddress(p.raft().toString())
                    .setRole("UNREACHABLE")
                    .setReachable(false)
                    .setError(io.grpc.Status.fromThrowable(t).getCode().name())
                    .build());
          }
        },
        MoreExecutors.directExecutor());
    return out;
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
