package io.horae.server.raft;

import io.horae.internal.v1.Query;
import io.horae.internal.v1.QueryResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Linearizable reads served by this node's own replica: Ratis runs a ReadIndex round with the
 * leader, waits until the local state machine applied up to it, then answers from local RocksDB.
 *
 * <p>A read goes straight into the node's own Raft server, in process, as {@link EntrySender}'s
 * entries do on the leader: through the Ratis client it was a loopback gRPC call with TLS to the
 * same server, on every read, the leader's answer to each lease report among them. Ratis completes
 * a read on its own threads (the apply thread, when the read waited for apply), so what waits on
 * the answer runs on a pool of its own. A read is idempotent: when the local server fails it (no
 * leader known, not running, no answer within the request timeout), it is sent again through the
 * Ratis client, whose retries find a leader as before. The client's reads use the unordered path:
 * the ordered one shares a sliding window with this node's writes, and a read addressed to the
 * local server stalled behind it on the leader.
 */
public final class Reader implements AutoCloseable {
  /** Threads that run what waits on a local read's answer. */
  static final int REPLY_THREADS = 2;

  private final RaftClient client;
  private final RaftPeerId self;
  private final LocalServer localServer;
  private final ExecutorService replies;

  /** Reads answered in process, and those sent through the Ratis client. */
  private final Counter local;

  private final Counter remote;

  /**
   * @param server this node's Raft server (null: not started; reads go through the client)
   * @param timeoutMillis how long a local read waits before it is sent through the client
   */
  public Reader(
      RaftClient client,
      RaftPeerId self,
      Supplier<RaftServer> server,
      RaftGroupId group,
      long timeoutMillis,
      MeterRegistry registry) {
    this.client = client;
    this.self = self;
    this.localServer = new LocalServer(server, self, group, timeoutMillis);
    this.local = reads(registry, "local");
    this.remote = reads(registry, "client");
    // Tasks queue without a bound of their own: one per read in flight, and reads are bounded by
    // the calls in flight (ApiExecutors) and the members' lease reports.
    this.replies =
        Executors.newFixedThreadPool(
            REPLY_THREADS, Thread.ofPlatform().name("horae-read-replies-", 0).daemon().factory());
  }

  public CompletableFuture<QueryResult> query(Query query) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(query.toByteArray()));
    return send(message)
        .thenApply(
            reply -> {
              if (!reply.isSuccess()) {
                throw new UnavailableException("read failed: " + reply.getException());
              }
              try {
                return QueryResult.parseFrom(
                    reply.getMessage().getContent().asReadOnlyByteBuffer());
              } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new IllegalStateException("query result does not parse", e);
              }
            });
  }

  private static Counter reads(MeterRegistry registry, String path) {
    return Counter.builder("horae.raft.reads")
        .description("linearizable reads, by path: local (answered in process) or client")
        .tag("path", path)
        .register(registry);
  }

  /** Lets the answers already queued run. */
  @Override
  public void close() {
    replies.shutdown();
  }

  private CompletableFuture<RaftClientReply> send(Message message) {
    CompletableFuture<RaftClientReply> submitted =
        localServer.submit(message, RaftClientRequest.readRequestType());
    if (submitted == null) {
      return viaClient(message);
    }
    CompletableFuture<RaftClientReply> out = new CompletableFuture<>();
    submitted.whenCompleteAsync(
        (reply, error) -> {
          if (error == null && reply.isSuccess()) {
            local.increment();
            out.complete(reply);
          } else {
            LocalServer.relay(viaClient(message), out);
          }
        },
        replies);
    return out;
  }

  private CompletableFuture<RaftClientReply> viaClient(Message message) {
    remote.increment();
    return client.async().sendReadOnlyUnordered(message, self);
  }
}
