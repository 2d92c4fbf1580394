package io.horae.server.raft;

import io.horae.internal.v1.Query;
import io.horae.internal.v1.QueryResult;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Linearizable reads served by this node's own replica: Ratis runs a ReadIndex round with the
 * leader, waits until the local state machine applied up to it, then answers from local RocksDB.
 * Reads use the unordered async path: the ordered one shares a sliding window with this node's
 * writes, and a read addressed to the local server stalled behind it on the leader.
 */
public final class Reader {
  private final RaftClient client;
  private final RaftPeerId self;

  public Reader(RaftClient client, RaftPeerId self) {
    this.client = client;
    this.self = self;
  }

  public CompletableFuture<QueryResult> query(Query query) {
    Message message = Message.valueOf(UnsafeByteOperations.unsafeWrap(query.toByteArray()));
    return client
        .async()
        .sendReadOnlyUnordered(message, self)
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
}
