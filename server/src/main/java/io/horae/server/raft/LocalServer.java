package io.horae.server.raft;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;

/**
 * Requests to this node's own Raft server in process, as a Ratis client of its own would send them
 * over the network: its own client id, one call id per request. Used by {@link EntrySender} and
 * {@link Reader}, which fall back to the node's Ratis client when the local server cannot answer.
 */
final class LocalServer {
  private final Supplier<RaftServer> server;
  private final RaftPeerId self;
  private final RaftGroupId group;
  private final long timeoutMillis;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();

  /**
   * @param server this node's Raft server (null until started)
   * @param timeoutMillis how long a request waits for its reply before it fails
   */
  LocalServer(Supplier<RaftServer> server, RaftPeerId self, RaftGroupId group, long timeoutMillis) {
    this.server = server;
    this.self = self;
    this.group = group;
    this.timeoutMillis = timeoutMillis;
  }

  /** The started server, or null. */
  RaftServer server() {
    return group == null ? null : server.get();
  }

  /** Whether this node leads and can take entries (false too when not started). */
  boolean leads() {
    RaftServer s = server();
    if (s == null) {
      return false;
    }
    try {
      RaftServer.Division d = s.getDivision(group);
      return d.getInfo().isLeader() && d.getInfo().isLeaderReady();
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Submits {@code message} as a request of {@code type}; the reply fails after the timeout. Null
   * when the server is not started or not running: nothing was submitted.
   */
  CompletableFuture<RaftClientReply> submit(Message message, RaftClientRequest.Type type) {
    RaftServer s = server();
    if (s == null) {
      return null;
    }
    RaftClientRequest request =
        RaftClientRequest.newBuilder()
            .setClientId(clientId)
            .setServerId(self)
            .setGroupId(group)
            .setCallId(callIds.incrementAndGet())
            .setMessage(message)
            .setType(type)
            .build();
    try {
      return s.submitClientRequestAsync(request).orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Completes {@code to} as {@code from} completes. */
  static <T> void relay(CompletableFuture<T> from, CompletableFuture<T> to) {
    from.whenComplete(
        (value, error) -> {
          if (error != null) {
            to.completeExceptionally(error);
          } else {
            to.complete(value);
          }
        });
  }
}
