package io.horae.server.node;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.horae.api.v1.ClusterServiceGrpc;
import io.horae.api.v1.JobServiceGrpc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps the standard gRPC health service in step with the node's readiness (the same condition as
 * {@code /health/ready}): NOT_SERVING until the node has joined the group and caught up.
 */
final class HealthTracker implements AutoCloseable {
  static final Duration PERIOD = Duration.ofMillis(250);
  private static final List<String> SERVICES =
      List.of("", JobServiceGrpc.SERVICE_NAME, ClusterServiceGrpc.SERVICE_NAME);

  private final HealthStatusManager health = new HealthStatusManager();
  private final BooleanSupplier ready;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("horae-health").daemon().factory());

  HealthTracker(BooleanSupplier ready) {
    this.ready = ready;
    update();
    timer.scheduleWithFixedDelay(
        this::update, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  io.grpc.BindableService service() {
    return health.getHealthService();
  }

  private void update() {
    ServingStatus status = ready.getAsBoolean() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    for (String service : SERVICES) {
      health.setStatus(service, status);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    health.enterTerminalState();
  }
}
