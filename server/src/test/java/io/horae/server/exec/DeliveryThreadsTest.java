package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.cluster.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Webhook calls behave the same on platform and on virtual threads (exec.virtualHttpThreads):
 * concurrent calls each arrive once under their own key, and an abort ends a call the target is
 * still holding.
 */
class DeliveryThreadsTest {
  private static final int CALLS = 50;

  @ParameterizedTest(name = "virtualHttpThreads={0}")
  @ValueSource(booleans = {false, true})
  void concurrentCallsArriveOnceEachUnderTheirOwnKey(boolean virtual) throws Exception {
    try (Receiver target = new Receiver();
        Delivery delivery = delivery(virtual)) {
      Job job = job(target.url("/ok"));
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < CALLS; i++) {
        outcomes.add(delivery.send(job, held("default/many@" + (1_000 + i))));
      }
      for (CompletableFuture<Outcome> o : outcomes) {
        assertThat(o.get(20, TimeUnit.SECONDS).succeeded()).isTrue();
      }
      assertThat(target.deliveries())
          .extracting(Receiver.Delivery::idempotencyKey)
          .hasSize(CALLS)
          .doesNotHaveDuplicates();
    }
  }

  @ParameterizedTest(name = "virtualHttpThreads={0}")
  @ValueSource(booleans = {false, true})
  void anAbortEndsACallTheTargetIsStillHolding(boolean virtual) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (Receiver target = new Receiver();
        Delivery delivery = delivery(virtual)) {
      target.hold("/held", release, 30_000);
      CompletableFuture<Outcome> outcome =
          delivery.send(job(target.url("/held")), held("default/held@1000"));
      await().atMost(Duration.ofSeconds(10)).until(() -> !target.arrivals().isEmpty());
      delivery.abort("default/held@1000");
      Outcome done = outcome.get(10, TimeUnit.SECONDS);
      release.countDown();
      assertThat(done.succeeded()).as("outcome %s", done).isFalse();
    }
  }

  private static Delivery delivery(boolean virtual) {
    return TestDeliveries.toLoopback(
        TestExecConfig.with("exec.virtualHttpThreads", Boolean.toString(virtual)),
        c -> FenceCheck.GO);
  }

  private static Job job(String url) {
    return Job.newBuilder()
        .setName("threads")
        .setTarget(Target.newBuilder().setUrl(url).setTimeoutMs(20_000))
        .build();
  }

  private static Held held(String id) {
    long scheduled = Long.parseLong(id.substring(id.indexOf('@') + 1));
    return new Held(id, "default", "threads", scheduled, scheduled, 1, 0, 1);
  }
}
