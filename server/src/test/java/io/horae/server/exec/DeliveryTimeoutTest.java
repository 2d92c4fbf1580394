package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.cluster.Receiver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A job's timeout is the one bound of an attempt, connect to last byte: a target that thinks for
 * longer than the HTTP client's own per-read default (10 s) still answers within a longer job
 * timeout.
 */
class DeliveryTimeoutTest {
  /** Past OkHttp's default read timeout (10 s), well within the job's timeout below. */
  private static final long TARGET_THINKS_MS = 11_000;

  @Test
  void aTargetSilentForLongerThanTenSecondsIsAnsweredWithinALongerJobTimeout() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    try (Receiver target = new Receiver();
        Delivery delivery =
            TestDeliveries.toLoopback(
                TestExecConfig.with("exec.deliveryTimeout", "5s"), c -> FenceCheck.GO)) {
      // The target says nothing until the test lets it answer.
      target.answer(TestDeliveries.okAfter(() -> answer.await(60, TimeUnit.SECONDS)));
      Job job =
          Job.newBuilder()
              .setName("slow")
              .setTarget(Target.newBuilder().setUrl(target.url("/slow")).setTimeoutMs(30_000))
              .build();
      long sent = System.nanoTime();
      CompletableFuture<Outcome> outcome =
          delivery.send(job, new Held("default/slow@1", "default", "slow", 1, 1, 1, 0, 1));
      // The call is still waiting for its answer past the HTTP client's 10 s per-read default.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  outcome.isDone()
                      || TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)
                          >= TARGET_THINKS_MS);
      answer.countDown();
      Outcome done = outcome.get(20, TimeUnit.SECONDS);
      assertThat(done.succeeded()).as("outcome %s", done).isTrue();
      assertThat(done.latencyMs()).isGreaterThanOrEqualTo(TARGET_THINKS_MS);
    }
  }
}
