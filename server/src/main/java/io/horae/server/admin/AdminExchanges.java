package io.horae.server.admin;

import io.horae.server.config.AdminConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The executor the JDK HTTP server runs each exchange on. The JDK server reads a request's line and
 * headers, and writes its answer, with blocking I/O on the executor's thread, so a client that
 * dribbles its headers or never reads holds that thread. Here each exchange gets:
 *
 * <ul>
 *   <li>its own virtual thread, so a stalled client parks only itself;
 *   <li>one of {@code connectionsMax} slots; with none free the exchange is refused, and the JDK
 *       server then closes the connection without an answer (it catches what execute throws);
 *   <li>a deadline of {@code requestTimeout}: a thread still running then is interrupted, which
 *       closes its channel (an {@link java.nio.channels.InterruptibleChannel}) and ends the
 *       exchange with an I/O error.
 * </ul>
 *
 * <p>Thread safety: {@link #execute} is called by the server's dispatcher thread; the slots are a
 * semaphore and the counters are Micrometer's, so any thread may read them.
 */
final class AdminExchanges implements Executor, AutoCloseable {
  private final AdminConfig limits;
  private final Semaphore slots;
  private final ThreadFactory threads = Thread.ofVirtual().name("horae-admin-http-", 0).factory();

  /** One platform thread that only interrupts exchanges past their deadline. */
  private final ScheduledThreadPoolExecutor deadlines;

  private final Counter refused;
  private final Counter timeouts;

  AdminExchanges(AdminConfig limits, MeterRegistry registry) {
    this.limits = limits;
    this.slots = new Semaphore(limits.connectionsMax());
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().name("horae-admin-deadlines").daemon(true).factory());
    deadlines.setRemoveOnCancelPolicy(true);
    Gauge.builder("horae.admin.http.connections", this, AdminExchanges::busy)
        .description(
            "admin HTTP connections being served (reading, answering or writing a request)")
        .register(registry);
    Gauge.builder("horae.admin.http.connections.capacity", limits, AdminConfig::connectionsMax)
        .description("most admin HTTP connections served at once (admin.connectionsMax)")
        .register(registry);
    this.refused =
        Counter.builder("horae.admin.http.refused")
            .description(
                "admin HTTP connections closed unanswered because admin.connectionsMax were busy")
            .register(registry);
    this.timeouts =
        Counter.builder("horae.admin.http.timeouts")
            .description("admin HTTP requests cut at admin.requestTimeout")
            .register(registry);
  }

  @Override
  public void execute(Runnable exchange) {
    if (!slots.tryAcquire()) {
      refused.increment();
      throw new RejectedExecutionException(
          "admin HTTP: " + limits.connectionsMax() + " connections busy (admin.connectionsMax)");
    }
    try {
      Bounded task = new Bounded(exchange);
      Thread thread = threads.newThread(task);
      // Set before start(), which makes it visible to the task's thread.
      task.deadline =
          deadlines.schedule(
              () -> cut(task, thread), limits.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
      thread.start();
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
  }

  /** Exchanges being served now. */
  int busy() {
    return limits.connectionsMax() - slots.availablePermits();
  }

  private void cut(Bounded task, Thread thread) {
    if (!task.finished) {
      timeouts.increment();
      thread.interrupt();
    }
  }

  /** Stops the deadline thread; exchanges still running end with their connections. */
  @Override
  public void close() {
    deadlines.shutdownNow();
  }

  /** One exchange that gives back its slot and its deadline however it ends. */
  private final class Bounded implements Runnable {
    private final Runnable exchange;

    /** Written before the thread starts; read only by that thread. */
    ScheduledFuture<?> deadline;

    /** Set by the task's thread when the exchange has ended; read by the deadline thread. */
    volatile boolean finished;

    Bounded(Runnable exchange) {
      this.exchange = exchange;
    }

    @Override
    public void run() {
      try {
        exchange.run();
      } finally {
        finished = true;
        deadline.cancel(false);
        slots.release();
      }
    }
  }
}
