package io.horae.server.member;

import io.horae.api.v1.MembershipResponse;
import io.horae.api.v1.SnapshotResponse;
import io.horae.api.v1.TransferLeaderResponse;
import io.horae.internal.v1.Member;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;
import io.horae.internal.v1.PutMember;
import io.horae.internal.v1.Query;
import io.horae.internal.v1.RejectCode;
import io.horae.internal.v1.RemoveMember;
import io.horae.internal.v1.ShardMap;
import io.horae.internal.v1.ShardMapQuery;
import io.horae.server.config.MembershipConfig;
import io.horae.server.errors.RejectedException;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.RaftWiring;
import io.horae.server.raft.Reader;
import io.horae.server.raft.UnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership changes, leadership transfer and snapshots, run on any node (docs/failover.md,
 * "Membership"). Raft work goes through Ratis' admin API, which finds the leader itself; state
 * changes go through the proposer like any op; so no call needs to be forwarded by hand. Operations
 * run one at a time on this node's own thread, since each may wait for a catch-up or a drain.
 *
 * <p>Remove order: mark the node leaving (replicated), wait until the applied shard map gives it
 * nothing (the coordinator moves its shards with a live hand-off), move leadership away if it
 * leads, then change the Raft configuration, then drop its record.
 */
public final class MembershipOps implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MembershipOps.class);

  private final String selfId;
  private final RaftClient admin;
  private final Proposer proposer;
  private final Reader reader;
  private final MemberDirectory members;
  private final Supplier<Optional<String>> leaderId;
  private final MembershipConfig config;
  private final Duration pollInterval;
  private final ChangeQueue queue;

  public MembershipOps(
      String selfId,
      RaftClient admin,
      Proposer proposer,
      Reader reader,
      MemberDirectory members,
      Supplier<Optional<String>> leaderId,
      MembershipConfig config,
      Duration pollInterval) {
    this.selfId = selfId;
    this.admin = admin;
    this.proposer = proposer;
    this.reader = reader;
    this.members = members;
    this.leaderId = leaderId;
    this.config = config;
    this.pollInterval = pollInterval;
    this.queue =
        new ChangeQueue(config.queueMax(), config.queueTimeout(), java.time.Clock.systemUTC());
  }

  /** Adds a running join-mode node: records its addresses, then changes the Raft configuration. */
  public CompletableFuture<MembershipResponse> add(Member member) {
    return queue.submit(
        "add node " + member.getId(),
        () -> {
          shardMap(); // A linearizable read: the local configuration is now up to date.
          if (members.voters().contains(member.getId())) {
            throw new RejectedException(
                RejectCode.REJECT_ALREADY_EXISTS,
                "node " + member.getId() + " is already a member");
          }
          accepted(
              proposer.propose(
                  Op.newBuilder().setPutMember(PutMember.newBuilder().setMember(member)).build()));
          List<RaftPeer> current = List.copyOf(members.raftPeers());
          List<RaftPeer> next = new ArrayList<>(current);
          next.add(RaftWiring.peer(member.getId(), member.getRaftAddress()));
          try {
            setConfiguration(current, next);
          } catch (Exception e) {
            if (!joinedAfterAll(member.getId())) {
              dropRecordOfFailedAdd(member.getId(), e);
              throw e;
            }
          }
          LOG.info(
              "node added node={} raft={} api={}",
              member.getId(),
              member.getRaftAddress(),
              member.getApiAddress());
          return MembershipResponse.newBuilder().addAllVoters(ids(next)).build();
        });
  }

  /** Moves the node's shards away, then removes it from the Raft configuration. */
  public CompletableFuture<MembershipResponse> remove(String id) {
    return queue.submit(
        "remove node " + id,
        () -> {
          ShardMap before = shardMap();
          List<String> voters = members.voters();
          if (!voters.contains(id)
              && members.records().getMembersList().stream().anyMatch(m -> m.getId().equals(id))) {
            // The record of an add that failed and could not be dropped then: drop it now.
            dropRecord(id);
            return MembershipResponse.newBuilder().addAllVoters(voters).build();
          }
          if (!voters.contains(id)) {
            throw new RejectedException(
                RejectCode.REJECT_NOT_FOUND, "node " + id + " is not a member; members: " + voters);
          }
          List<String> staying =
              voters.stream().filter(v -> !v.equals(id) && !members.leaving().contains(v)).toList();
          if (staying.isEmpty()) {
            throw new RejectedException(
                RejectCode.REJECT_INVALID,
                "cannot remove " + id + ": it is the last member that is not leaving");
          }
          Member record =
              members
                  .member(id)
                  .orElseThrow(
                      () -> new IllegalStateException("member " + id + " has no addresses"));
          accepted(
              proposer.propose(
                  Op.newBuilder()
                      .setPutMember(
                          PutMember.newBuilder().setMember(record.toBuilder().setLeaving(true)))
                      .build()));
          int owned = (int) before.getOwnersList().stream().filter(id::equals).count();
          LOG.info("removing node={} shards={}: draining", id, owned);
          awaitDrained(id);
          if (leaderId.get().filter(id::equals).isPresent()) {
            transfer(staying.get(0));
          }
          List<RaftPeer> current = List.copyOf(members.raftPeers());
          List<RaftPeer> next =
              current.stream().filter(p -> !p.getId().toString().equals(id)).toList();
          setConfiguration(current, next);
          accepted(
              proposer.propose(
                  Op.newBuilder().setRemoveMember(RemoveMember.newBuilder().setId(id)).build()));
          LOG.info("node removed node={} voters={}", id, ids(next));
          return MembershipResponse.newBuilder()
              .addAllVoters(ids(next))
              .setShardsMoved(owned)
              .build();
        });
  }

  /** The coordinator found a member stuck: leadership goes to one of the caught-up candidates. */
  public void handOver(java.util.Set<String> candidates) {
    candidates.stream()
        .filter(c -> !c.equals(selfId))
        .findFirst()
        .ifPresent(
            to ->
                transferLeader(to)
                    .whenComplete(
                        (r, e) -> {
                          if (e != null) {
                            LOG.warn("leadership hand-over to {} failed", to, e);
                          }
                        }));
  }

  /** Moves leadership to {@code target}, or to another member when it is empty. */
  public CompletableFuture<TransferLeaderResponse> transferLeader(String target) {
    return queue.submit(
        "transfer leadership",
        () -> {
          shardMap();
          List<String> voters = members.voters();
          String leader =
              leaderId.get().orElseThrow(() -> new UnavailableException("no leader is known"));
          String to = target;
          if (to.isEmpty()) {
            to =
                voters.stream()
                    .filter(v -> !v.equals(leader))
                    .findFirst()
                    .orElseThrow(
                        () ->
                            new RejectedException(
                                RejectCode.REJECT_INVALID, "the cluster has a single member"));
          } else if (!voters.contains(to)) {
            throw new RejectedException(
                RejectCode.REJECT_NOT_FOUND, "node " + to + " is not a member; members: " + voters);
          }
          if (!to.equals(leader)) {
            transfer(to);
          }
          return TransferLeaderResponse.newBuilder().setLeaderId(to).build();
        });
  }

  /** Takes a snapshot of this node's state machine now. */
  public CompletableFuture<SnapshotResponse> snapshotHere() {
    return queue.submit(
        "snapshot",
        () -> {
          RaftClientReply reply =
              admin
                  .getSnapshotManagementApi(RaftPeerId.valueOf(selfId))
                  .create(true, config.changeTimeout().toMillis());
          check(reply, "snapshot");
          LOG.info("snapshot on request node={} index={}", selfId, reply.getLogIndex());
          return SnapshotResponse.newBuilder()
              .setNodeId(selfId)
              .setIndex(reply.getLogIndex())
              .build();
        });
  }

  /** After a failed add: whether the configuration names the node anyway (a late commit). */
  private boolean joinedAfterAll(String id) {
    try {
      shardMap(); // A linearizable read: the local configuration is now up to date.
      if (members.voters().contains(id)) {
        LOG.warn(
            "adding node={} reported a failure, but the configuration names it: the add took effect",
            id);
        return true;
      }
    } catch (Exception e) {
      LOG.debug("cannot tell whether node={} joined", id, e);
    }
    return false;
  }

  /**
   * The add of {@code id} failed after its record was written: drop the record, so no stale member
   * is accepted as a peer (acceptedPeerIds) or listed. Only once the configuration is known to be
   * settled without it; when that cannot be shown (a change may still be under way), the record
   * stays, a WARN says so, and RemoveNode of the id drops it later.
   */
  private void dropRecordOfFailedAdd(String id, Exception cause) {
    try {
      dropRecord(id);
      LOG.info("adding node={} failed; its member record was removed", id);
    } catch (Exception e) {
      cause.addSuppressed(e);
      LOG.warn(
          "adding node={} failed and its member record stays for now: {}; RemoveNode {} drops it",
          id,
          e.toString(),
          id);
    }
  }

  /**
   * Removes the record of a node the configuration does not name. A configuration change to the
   * configuration as it is (compare-and-set) is the fence: Ratis accepts it only while no change is
   * under way (no staging, no uncommitted or joint configuration) and the configuration is exactly
   * the one read, so the node cannot join after the record is gone.
   */
  private void dropRecord(String id) throws Exception {
    shardMap();
    List<RaftPeer> now = List.copyOf(members.raftPeers());
    if (ids(now).contains(id)) {
      throw new IllegalStateException("node " + id + " is in the configuration; its record stays");
    }
    setConfiguration(now, now);
    OpResult r =
        proposer
            .propose(Op.newBuilder().setRemoveMember(RemoveMember.newBuilder().setId(id)).build())
            .get();
    if (r.hasRejection() && r.getRejection().getCode() != RejectCode.REJECT_NOT_FOUND) {
      throw new RejectedException(r.getRejection().getCode(), r.getRejection().getMessage());
    }
  }

  private void transfer(String to) throws IOException {
    check(
        admin.admin().transferLeadership(RaftPeerId.valueOf(to), config.changeTimeout().toMillis()),
        "transfer leadership to " + to);
    LOG.info("leadership transferred to node={}", to);
  }

  private void setConfiguration(List<RaftPeer> current, List<RaftPeer> next) throws IOException {
    SetConfigurationRequest.Arguments args =
        SetConfigurationRequest.Arguments.newBuilder()
            .setServersInCurrentConf(current)
            .setServersInNewConf(next)
            .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
            .build();
    check(admin.admin().setConfiguration(args), "set configuration " + ids(next));
  }

  /**
   * Waits until the node owns no shard and has released every hand-off from it: its calls in flight
   * have ended and their results are committed, so removing it loses nothing and its new owners
   * send nothing twice (docs/failover.md, "Hand-off barrier").
   */
  private void awaitDrained(String id) throws Exception {
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while (!drained(shardMap(), id)) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException(
            "shards of " + id + " did not move within " + config.drainTimeout());
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  private static boolean drained(ShardMap map, String id) {
    for (int s = 0; s < map.getOwnersCount(); s++) {
      if (map.getOwners(s).equals(id)
          || (io.horae.statemachine.core.Shards.handoffPending(map, s)
              && map.getHandoffFrom(s).equals(id))) {
        return false;
      }
    }
    return true;
  }

  private ShardMap shardMap() throws Exception {
    return reader
        .query(Query.newBuilder().setShardMap(ShardMapQuery.getDefaultInstance()).build())
        .get(config.changeTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .getShardMap();
  }

  private static void accepted(CompletableFuture<OpResult> result) throws Exception {
    OpResult r = result.get();
    if (r.hasRejection()) {
      throw new RejectedException(r.getRejection().getCode(), r.getRejection().getMessage());
    }
  }

  private static void check(RaftClientReply reply, String what) {
    if (!reply.isSuccess()) {
      throw new UnavailableException(what + " failed: " + reply.getException());
    }
  }

  private static List<String> ids(List<RaftPeer> peers) {
    return peers.stream().map(p -> p.getId().toString()).sorted().toList();
  }

  @Override
  public void close() {
    queue.close();
    try {
      admin.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
