package io.horae.server.node;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.horae.server.admin.AdminServer;
import io.horae.server.api.ClusterApi;
import io.horae.server.api.CreateAdmission;
import io.horae.server.api.DeadLetterApi;
import io.horae.server.api.ExecutionApi;
import io.horae.server.api.JobApi;
import io.horae.server.api.MalformedRequests;
import io.horae.server.api.NodeApi;
import io.horae.server.api.SecretApi;
import io.horae.server.auth.CallerIdentity;
import io.horae.server.auth.PublicAuth;
import io.horae.server.config.HoraeConfig;
import io.horae.server.console.ConsoleBackend;
import io.horae.server.console.ConsoleHandler;
import io.horae.server.egress.TargetGuard;
import io.horae.server.raft.Proposer;
import io.horae.server.raft.Reader;
import io.horae.server.secret.JobSecrets;
import io.horae.server.tls.NodeTls;
import io.horae.server.trace.Tracing;
import io.horae.server.watch.WatchHub;
import io.horae.statemachine.storage.RocksStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The servers of a node: the public gRPC API with the standard health service, the internal
 * NodeService port, the console's in-process backend, and admin HTTP. Each is kept as soon as it
 * starts, so that {@link #stop} stops what started when a later one fails.
 */
final class NodeServers {
  static final long API_MESSAGE_BYTES_MAX = 4L * 1024 * 1024;

  private final HoraeConfig config;
  private final PrometheusMeterRegistry registry;
  private HealthTracker health;
  private PublicAuth auth;
  private ServerInterceptor perCall;
  private List<ServerServiceDefinition> publicServices;
  private Server grpc;

  /** The threads of the public API's calls; closed after {@link #grpc}. */
  private ApiExecutors apiExecutors;

  /** NodeService only, on peers.<id>.internal (mTLS unless tls.enabled=false). */
  private Server internal;

  private AdminServer admin;

  /** The public API in process, for the admin port's console. */
  private ConsoleBackend console;

  NodeServers(HoraeConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  /**
   * Starts the public API port, whose health service follows {@code readyTick}, then the internal
   * port with {@code nodeApi}.
   */
  void startApis(
      NodeTls tls,
      Tracing tracing,
      BooleanSupplier readyTick,
      Clock clock,
      JobSecrets secrets,
      TargetGuard targets,
      Proposer proposer,
      Reader reader,
      RocksStore store,
      CreateAdmission admission,
      ClusterApi clusterApi,
      ShardMapView shardMap,
      WatchHub watches,
      NodeApi nodeApi)
      throws IOException {
    health = new HealthTracker(readyTick);
    auth = PublicAuth.from(config.auth());
    // Tracing's API spans (when on) come first: a call refused by auth or parsing has its span too.
    perCall = tracing.around(new CallerIdentity());
    publicServices =
        List.of(
            publicApi(
                new JobApi(
                    proposer,
                    reader,
                    store,
                    config.api(),
                    clock,
                    config.raft().requestTimeout(),
                    config.exec().misfireGrace(),
                    secrets,
                    targets,
                    config.quota(),
                    admission,
                    registry),
                auth),
            publicApi(
                new SecretApi(
                    proposer,
                    reader,
                    secrets,
                    config.secrets(),
                    clock,
                    config.raft().requestTimeout()),
                auth),
            publicApi(clusterApi, auth),
            publicApi(
                new ExecutionApi(
                    proposer,
                    reader,
                    config.api(),
                    config.exec().misfireGrace(),
                    shardMap,
                    watches,
                    clock,
                    config.raft().requestTimeout()),
                auth),
            publicApi(
                new DeadLetterApi(
                    proposer, reader, config.api(), clock, config.raft().requestTimeout()),
                auth),
            ServerInterceptors.intercept(health.service(), auth.interceptor()),
            ServerInterceptors.intercept(
                ProtoReflectionServiceV1.newInstance(), auth.interceptor()));
    apiExecutors = new ApiExecutors(config.api().executorThreads());
    var publicServer =
        apiExecutors
            .apply(tls.publicServer(config.self().api()))
            .maxInboundMessageSize((int) API_MESSAGE_BYTES_MAX)
            // Runs before each service's auth: the caller's address is in the context for
            // per-client limits.
            .intercept(perCall);
    publicServices.forEach(publicServer::addService);
    grpc = publicServer.build().start();
    internal =
        tls.internalServer(config.self().internal())
            .maxInboundMessageSize((int) API_MESSAGE_BYTES_MAX)
            .addService(nodeApi)
            .build()
            .start();
  }

  /** Starts the console's backend and admin HTTP; after {@link #startApis}. */
  void startAdmin(NodeTls tls, io.horae.server.admin.Readiness ready) throws IOException {
    // The console calls the same services, with the same auth, in process (docs/console.md).
    console = ConsoleBackend.start(config.node().id(), publicServices, perCall);
    admin =
        new AdminServer(
            config.self().admin(),
            registry,
            ready,
            auth.metricsAllowed(),
            tls.adminServer(),
            config.admin(),
            new ConsoleHandler(console.channel(), config.admin().requestTimeout()));
    admin.start();
  }

  /**
   * Stops what started: admin, console and health through {@code closeQuietly} (the node's, which
   * logs a failed close), then the public and the internal gRPC servers.
   */
  void stop(Consumer<AutoCloseable> closeQuietly) {
    closeQuietly.accept(admin);
    closeQuietly.accept(console);
    closeQuietly.accept(health);
    stopServer(grpc);
    stopServer(internal);
    closeQuietly.accept(apiExecutors);
  }

  private static void stopServer(Server server) {
    if (server == null) {
      return;
    }
    server.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A public service as the API port serves it: requests that do not parse are refused with
   * INVALID_ARGUMENT first, then the auth check reads the parsed request (so it sits inside the
   * parsing, not on the server, where it would see raw bytes).
   */
  private static ServerServiceDefinition publicApi(BindableService service, PublicAuth auth) {
    return MalformedRequests.refused(ServerInterceptors.intercept(service, auth.interceptor()));
  }
}
