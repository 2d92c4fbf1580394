package io.horae.server.console;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The node's public API once more, in process, for the console: the very service definitions the
 * API port serves, with their auth checks and request parsing, behind the same server-wide
 * interceptor. The console's JSON handlers call it with the browser's bearer token, so a console
 * user sees exactly what the CLI with that token would see and nothing more; no handler reads the
 * store itself. In process rather than over the API port: no TLS client set-up, and the API port
 * may be bound to an address the node itself cannot name.
 *
 * <p>A call from here carries no client certificate, so only a token authenticates it.
 */
public final class ConsoleBackend implements AutoCloseable {
  /** Grace for calls still running on close (a watch stream ends at its deadline anyway). */
  private static final long STOP_GRACE_MS = 1_000;

  /** Largest reply the channel takes, as the API port's inbound limit for requests. */
  private static final int REPLY_BYTES_MAX = 4 * 1024 * 1024;

  private final Server server;
  private final ManagedChannel channel;

  private ConsoleBackend(Server server, ManagedChannel channel) {
    this.server = server;
    this.channel = channel;
  }

  /**
   * @param services the public services as the API port serves them (each wrapped in its auth)
   * @param serverInterceptor the API server's own interceptor (caller identity), applied to all
   */
  public static ConsoleBackend start(
      String nodeId, List<ServerServiceDefinition> services, ServerInterceptor serverInterceptor)
      throws IOException {
    String name = "horae-console-" + nodeId + "-" + UUID.randomUUID();
    InProcessServerBuilder b = InProcessServerBuilder.forName(name).intercept(serverInterceptor);
    services.forEach(b::addService);
    Server server = b.build().start();
    ManagedChannel channel =
        InProcessChannelBuilder.forName(name).maxInboundMessageSize(REPLY_BYTES_MAX).build();
    return new ConsoleBackend(server, channel);
  }

  public ManagedChannel channel() {
    return channel;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdown();
    try {
      if (!server.awaitTermination(STOP_GRACE_MS, TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
