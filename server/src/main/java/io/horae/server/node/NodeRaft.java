package io.horae.server.node;

import io.horae.server.config.HoraeConfig;
import io.horae.server.raft.RaftWiring;
import io.horae.server.tls.NodeTls;
import io.horae.statemachine.ratis.HoraeStateMachine;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;

/**
 * A node's Raft server and the Raft client it proposes and reads through, and what the server
 * knows: the leader, the term, the commit index, when each follower last answered. The node closes
 * the two (HoraeNode.close), in its order of parts.
 */
final class NodeRaft {
  static final long CLIENT_RETRY_SLEEP_MILLIS = 100;

  private final HoraeConfig config;
  private final RaftGroup group;
  private final RaftPeerId selfId;
  private RaftServer server;
  private RaftClient client;

  NodeRaft(HoraeConfig config) {
    this.config = config;
    this.group = RaftWiring.group(config);
    this.selfId = RaftWiring.selfId(config);
  }

  /**
   * Starts the Raft server over {@code stateMachine}, then builds the client. Each is kept as soon
   * as it is built, so that the node's close closes it when a later step fails.
   */
  void start(HoraeStateMachine stateMachine, NodeTls tls) throws IOException {
    server =
        RaftServer.newBuilder()
            .setServerId(selfId)
            .setGroup(RaftWiring.serverGroup(config))
            .setStateMachine(stateMachine)
            .setProperties(RaftWiring.serverProperties(config))
            .setOption(RaftStorage.StartupOption.RECOVER)
            .setParameters(tls.ratisParameters())
            .build();
    server.start();
    long requestMillis = config.raft().requestTimeout().toMillis();
    client =
        RaftClient.newBuilder()
            .setProperties(RaftWiring.clientProperties(config))
            .setRaftGroup(group)
            .setClientId(ClientId.randomId())
            .setParameters(tls.ratisParameters())
            .setLeaderId(null)
            .setRetryPolicy(
                RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                    (int) Math.max(1, requestMillis / CLIENT_RETRY_SLEEP_MILLIS),
                    TimeDuration.valueOf(CLIENT_RETRY_SLEEP_MILLIS, TimeUnit.MILLISECONDS)))
            .build();
  }

  RaftGroup group() {
    return group;
  }

  RaftPeerId selfId() {
    return selfId;
  }

  /** Null until {@link #start} built it. */
  RaftServer server() {
    return server;
  }

  /** Null until {@link #start} built it. */
  RaftClient client() {
    return client;
  }

  boolean started() {
    return server != null;
  }

  RaftServer.Division division() {
    try {
      return server.getDivision(group.getGroupId());
    } catch (IOException e) {
      throw new IllegalStateException("group " + group.getGroupId() + " is not on this server", e);
    }
  }

  /** The leader as this node's Raft server knows it, if any. */
  Optional<String> leaderId() {
    try {
      return Optional.ofNullable(division().getInfo().getLeaderId()).map(Object::toString);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  long term() {
    return division().getInfo().getCurrentTerm();
  }

  /**
   * On the leader: milliseconds since the node last answered its Raft traffic (itself: 0; unknown:
   * MAX_VALUE).
   */
  long raftAnswerAgeMillis(String nodeId) {
    if (nodeId.equals(config.node().id())) {
      return 0;
    }
    try {
      return division().getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList().stream()
          .filter(f -> f.getId().getId().toStringUtf8().equals(nodeId))
          .mapToLong(f -> f.getLastRpcElapsedTimeMs())
          .min()
          .orElse(Long.MAX_VALUE);
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }

  /** {@link #commitIndex()}, or 0 while the Raft server cannot say. */
  long committedIndex() {
    try {
      return division().getRaftLog().getLastCommittedIndex();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  boolean isLeader() {
    try {
      return server != null && division().getInfo().isLeader();
    } catch (RuntimeException e) {
      return false;
    }
  }

  long commitIndex() {
    return division().getRaftLog().getLastCommittedIndex();
  }
}
