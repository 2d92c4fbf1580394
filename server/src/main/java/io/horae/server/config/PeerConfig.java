package io.horae.server.config;

import java.util.Objects;

/**
 * One member of the Raft group and the four addresses it listens on.
 *
 * @param id the peer's node id
 * @param raft Ratis (Raft RPC) address
 * @param api public gRPC API address
 * @param admin admin HTTP address (/metrics, /health/*)
 * @param internal node-to-node gRPC address (NodeService: reports, status, snapshots), mTLS only
 */
public record PeerConfig(String id, HostPort raft, HostPort api, HostPort admin, HostPort internal) {
  public PeerConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(internal, "internal");
  }
}
