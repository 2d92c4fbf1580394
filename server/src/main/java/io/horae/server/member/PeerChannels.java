package io.horae.server.member;

import io.grpc.ManagedChannel;
import io.horae.server.config.HostPort;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The node's gRPC channels to other members' internal ports, one per member and address, shared by
 * everything that calls another member (lease reports, status fan-out, forwarded snapshots). A
 * member that moved gets a new channel. Bounded by the member count (at most 64 records).
 */
public final class PeerChannels implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Function<HostPort, ManagedChannel> open;

  /** {@code open} makes a channel to an internal address (mTLS or plaintext, NodeTls). */
  public PeerChannels(Function<HostPort, ManagedChannel> open) {
    this.open = open;
  }

  public ManagedChannel to(String id, HostPort internal) {
    return channels.computeIfAbsent(id + "@" + internal, k -> open.apply(internal));
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
