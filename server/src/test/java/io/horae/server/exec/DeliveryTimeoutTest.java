package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import io.horae.server.cluster.Receiver;
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
    try (Receiver target = new Receiver();
        Delivery delivery =
            TestDeliveries.toLoopback(
                TestExecConfig.with("exec.deliveryTimeout", "5s"), c -> FenceCheck.GO)) {
      // The slow target itself, not a wait for an outcome.
      target.answer(TestDeliveries.okAfter(() -> Thread.sleep(TARGET_THINKS_MS)));
      Job job =
          Job.newBuilder()
              .setName("slow")
              .setTarget(Target.newBuilder().setUrl(target.url("/slow")).setTimeoutMs(30_000))
              .build();
      Outcome outcome =
          delivery
              .send(job, new Held("default/slow@1", "default", "slow", 1, 1, 1, 0, 1))
              .get(40, TimeUnit.SECONDS);
      assertThat(outcome.succeeded()).as("outcome %s", outcome).isTrue();
      assertThat(outcome.latencyMs()).isGreaterThanOrEqualTo(TARGET_THINKS_MS);
    }
  }
}
