package io.horae.server.exec;

import io.horae.server.cluster.MiniCluster;
import io.horae.server.config.ExecConfig;
import io.horae.server.egress.TargetAllowlist;
import io.horae.server.egress.TargetGuard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.function.IntSupplier;

/** The HTTP side of node n1 without a node, for targets on loopback. */
final class TestDeliveries {
  private TestDeliveries() {}

  /** What a slow target does before it answers. */
  interface Think {
    void run() throws InterruptedException;
  }

  /** Node n1's deliveries with the test clusters' target guard (loopback allowed). */
  static Delivery toLoopback(ExecConfig config, Delivery.Gate gate) {
    return new Delivery(
        "n1",
        config,
        Clock.systemUTC(),
        gate,
        new TargetGuard(
            TargetAllowlist.parse(MiniCluster.TARGET_ALLOW),
            MiniCluster.NO_NAMES,
            new SimpleMeterRegistry()));
  }

  /** A target's answer: 200 once {@code think} has returned (the slow target itself). */
  static IntSupplier okAfter(Think think) {
    return () -> {
      try {
        think.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 200;
    };
  }
}
