package io.horae.server.member;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.horae.server.config.HostPort;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's gRPC channels to other members' APIs, one per member and address, shared by
 * everything that calls another member (lease reports, status fan-out, forwarded snapshots). A
 * member that moved gets a new channel. Bounded by the member count (at most 64 records).
 */
public final class PeerChannels implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public ManagedChannel to(String id, HostPort api) {
    return channels.computeIfAbsent(id + "@" + api, k -> NettyChannelBuilder.forAddress(api.host(), api.port()).usePlaintext().build());
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
