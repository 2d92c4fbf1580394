package io.horae.server.raft;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.LeaderSteppingDownException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.server.RaftServer;

/**
 * Hands a proposer's entry to Raft. While this node leads, the entry goes straight into its own
 * Raft server, in process; otherwise, and when the local server turns it away because it no longer
 * leads, through the Ratis client, which finds the leader over the network.
 *
 * <p>The Ratis client would reach the local leader too, but over a loopback gRPC stream with TLS:
 * per entry a sliding window on each side, protobuf both ways, encryption both ways and four thread
 * hand-offs. In process the entry costs one hand-off, for the reply: Ratis completes a leader's
 * request on its apply thread, and what waits on the reply (the API's answers, the owner's
 * bookkeeping) must not run there, so it runs on a thread of its own.
 *
 * <p>An entry the local leader refused because it does not lead (or not yet, or is stepping down)
 * is sent again through the client. Ratis refuses it either before appending it or, on stepping
 * down, while it is appended and not committed; in that last case the new leader may commit both
 * copies, the same double the Ratis client's own retry to a new leader can make (its retry cache
 * fills at apply), which every op already tolerates: a create is answered from its request record,
 * the first result of an attempt wins. An entry with no reply within {@code timeoutMillis} fails
 * its ops (outcome unknown), as the client's request timeout does.
 */
public final class EntrySender implements AutoCloseable {
  private final RaftClient client;
  private final LocalServer localServer;
  private final ExecutorService replies;

  /** Entries the local leader took, and those sent through the Ratis client. */
  private final Counter local;

  private final Counter remote;

  /**
   * @param server this node's Raft server (null: not started, every entry goes through the client)
   * @param timeoutMillis how long a local entry waits for its reply ({@code raft.requestTimeout})
   */
  public EntrySender(
      RaftClient client,
      Supplier<RaftServer> server,
      RaftPeerId self,
      RaftGroupId group,
      long timeoutMillis,
      MeterRegistry registry) {
    this.client = client;
    this.localServer = new LocalServer(server, self, group, timeoutMillis);
    this.local = sent(registry, "local");
    this.remote = sent(registry, "client");
    // One task per local entry in flight, so its queue is bounded by raft.batchesInFlightMax.
    this.replies =
        Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("horae-propose-replies").daemon().factory());
  }

  /** Sends {@code message} as one entry; its reply completes off Ratis' apply thread. */
  public CompletableFuture<RaftClientReply> send(Message message) {
    CompletableFuture<RaftClientReply> submitted =
        localServer.leads()
            ? localServer.submit(message, RaftClientRequest.writeRequestType())
            : null;
    if (submitted == null) {
      return viaClient(message); // not leading or not running: the client finds whoever leads
    }
    local.increment();
    CompletableFuture<RaftClientReply> out = new CompletableFuture<>();
    submitted.whenCompleteAsync(
        (reply, error) -> {
          if (error == null && reply.isSuccess()) {
            out.complete(reply);
          } else if (notLeading(reply, error)) {
            LocalServer.relay(viaClient(message), out);
          } else if (error != null) {
            out.completeExceptionally(error);
          } else {
            out.complete(reply);
          }
        },
        replies);
    return out;
  }

  /** Lets the replies already queued run; a local reply after this is dropped with the node. */
  @Override
  public void close() {
    replies.shutdown();
  }

  private CompletableFuture<RaftClientReply> viaClient(Message message) {
    remote.increment();
    return client.async().send(message);
  }

  private static Counter sent(MeterRegistry registry, String path) {
    return Counter.builder("horae.raft.entries.sent")
        .description("Raft entries this node proposed, by path: local (it led) or client")
        .tag("path", path)
        .register(registry);
  }

  /** Whether the local server turned the entry away because it does not lead (any more). */
  static boolean notLeading(RaftClientReply reply, Throwable error) {
    Throwable cause = error;
    if (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause == null && reply != null) {
      cause = reply.getException();
    }
    return cause instanceof NotLeaderException
        || cause instanceof LeaderNotReadyException
        || cause instanceof LeaderSteppingDownException;
  }
}
