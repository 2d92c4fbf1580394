package io.horae.server.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.server.raft.OverloadedException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The membership queue's two bounds, with a running operation held on a latch and a clock the test
 * moves: past queueMax a new operation is refused at once, and one that waited past queueTimeout is
 * failed without running.
 */
class ChangeQueueTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final io.horae.server.exec.SettableClock clock =
      new io.horae.server.exec.SettableClock(Instant.parse("2026-12-02T00:00:00Z"));
  private final ChangeQueue queue = new ChangeQueue(2, Duration.ofMinutes(3), clock);
  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger ran = new AtomicInteger();

  @AfterEach
  void close() {
    release.countDown();
    queue.close();
  }

  @Test
  void anOperationPastQueueMaxIsRefusedAtOnceAndNothingOfItRuns() {
    CompletableFuture<Integer> running = queue.submit("add node n4", this::held);
    await().atMost(WAIT).until(() -> ran.get() == 1);
    CompletableFuture<Integer> second = queue.submit("add node n5", ran::incrementAndGet);
    CompletableFuture<Integer> third = queue.submit("add node n6", ran::incrementAndGet);

    CompletableFuture<Integer> refused = queue.submit("add node n7", ran::incrementAndGet);

    assertThat(refused).isCompletedExceptionally();
    assertThat(cause(refused))
        .isInstanceOf(OverloadedException.class)
        .hasMessage(
            "add node n7 refused: 2 cluster operations already wait on this node (membership.queueMax); retry later");
    release.countDown();
    assertThat(running.join()).isEqualTo(1);
    assertThat(second.join() + third.join()).isEqualTo(2 + 3);
    assertThat(ran.get()).isEqualTo(3);
  }

  @Test
  void anOperationThatWaitedPastQueueTimeoutFailsWithoutRunning() {
    queue.submit("remove node n2", this::held);
    await().atMost(WAIT).until(() -> ran.get() == 1);
    CompletableFuture<Integer> late = queue.submit("add node n5", ran::incrementAndGet);
    clock.advance(Duration.ofMinutes(3).plusMillis(1));
    release.countDown();

    assertThat(cause(late))
        .isInstanceOf(OverloadedException.class)
        .hasMessageContaining("add node n5 not started")
        .hasMessageContaining("membership.queueTimeout");
    CompletableFuture<Integer> next = queue.submit("add node n6", ran::incrementAndGet);
    assertThat(next.join()).isEqualTo(2);
  }

  private int held() throws InterruptedException {
    int n = ran.incrementAndGet();
    release.await();
    return n;
  }

  private static Throwable cause(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("expected a failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
