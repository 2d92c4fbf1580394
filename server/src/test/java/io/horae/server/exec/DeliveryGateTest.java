package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.cluster.Receiver;
import io.horae.server.config.ExecConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The fence is checked again right before a request goes on the wire: a call that waited in the
 * HTTP client's queue while its shard moved away is never sent.
 */
class DeliveryGateTest {
  @Test
  void aQueuedRequestWhoseShardMovedMeanwhileNeverReachesTheTarget() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicReference<FenceCheck> gate = new AtomicReference<>(FenceCheck.GO);
    try (Receiver target = new Receiver();
        Delivery delivery = TestDeliveries.toLoopback(oneCallAtATime(), c -> gate.get())) {
      target.answer(TestDeliveries.okAfter(() -> release.await(30, TimeUnit.SECONDS)));
      Job job =
          Job.newBuilder()
              .setName("j")
              .setTarget(
                  Target.newBuilder()
                      .setUrl(target.url("/gate"))
                      .setBody(ByteString.copyFromUtf8("{}")))
              .build();
      CompletableFuture<Outcome> first = delivery.send(job, held("default/j@1"));
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> target.deliveries().size() == 1 || delivery.runningCalls() == 1);
      CompletableFuture<Outcome> second = delivery.send(job, held("default/j@2"));
      await().atMost(Duration.ofSeconds(10)).until(() -> delivery.queuedCalls() == 1);

      gate.set(FenceCheck.MOVED); // The shard moves while the second call waits.
      release.countDown();

      assertThat(first.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
      assertThat(second)
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableThat()
          .havingRootCause()
          .isInstanceOf(Delivery.Fenced.class);
      assertThat(target.deliveries())
          .extracting(Receiver.Delivery::idempotencyKey)
          .containsExactly("default/j@1");
    }
  }

  private static Held held(String id) {
    return new Held(id, "default", "j", 1, 1, 1, 0, 1);
  }

  /** Defaults, except one call at a time in all, so the second call has to wait in the queue. */
  private static ExecConfig oneCallAtATime() {
    return TestExecConfig.with("exec.dispatchConcurrency", "1");
  }
}
