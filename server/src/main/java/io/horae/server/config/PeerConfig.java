package io.horae.server.config;

import java.util.LinkedHashMap;
import java.util.Map;
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
public record PeerConfig(
    String id, HostPort raft, HostPort api, HostPort admin, HostPort internal) {
  public PeerConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(raft, "raft");
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(internal, "internal");
  }

  /** A member listening on 127.0.0.1 at these ports (local clusters, benches and tests). */
  public static PeerConfig loopback(String id, int raft, int api, int admin, int internal) {
    String host = "127.0.0.1";
    return new PeerConfig(
        id,
        new HostPort(host, raft),
        new HostPort(host, api),
        new HostPort(host, admin),
        new HostPort(host, internal));
  }

  /**
   * This member as config keys, {@code peers.<id>.raft}, {@code .api}, {@code .admin} and {@code
   * .internal} in that order: the one place that writes them (horae dev, the bench's local cluster,
   * the test clusters, the config description), as {@link PeersParser} is the one that reads them.
   */
  public Map<String, String> keys() {
    String prefix = PeersParser.PREFIX + id + ".";
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(prefix + "raft", raft.toString());
    keys.put(prefix + "api", api.toString());
    keys.put(prefix + "admin", admin.toString());
    keys.put(prefix + "internal", internal.toString());
    return keys;
  }

  /** {@link #keys()} as properties-file lines. */
  public String lines() {
    StringBuilder b = new StringBuilder();
    keys().forEach((k, v) -> b.append(k).append('=').append(v).append('\n'));
    return b.toString();
  }
}
