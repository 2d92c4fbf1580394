package io.horae.server.coord;

import io.horae.internal.v1.ExpireHistory;
import io.horae.internal.v1.NamespaceCutoff;
import io.horae.internal.v1.Op;
import io.horae.internal.v1.OpResult;
import io.horae.server.config.RetentionConfig;
import io.horae.server.raft.Proposer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's history retention: every sweep interval it proposes {@link ExpireHistory} ops with
 * each namespace's cutoff (now minus its time to live), one after another while they come back
 * full, at most {@link #ROUNDS_MAX} per sweep. The ops carry the cutoffs, so apply reads no clock.
 */
public final class HistorySweeper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HistorySweeper.class);

  /** Most removal ops one sweep proposes; a backlog larger than that waits for the next sweep. */
  static final int ROUNDS_MAX = 10;

  /** How long one removal op may take to commit before the sweep gives up until the next one. */
  static final Duration PROPOSE_TIMEOUT = Duration.ofSeconds(10);

  private final BooleanSupplier isLeader;
  private final Proposer proposer;
  private final RetentionConfig config;
  private final Clock clock;
  private final Counter expired;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "horae-history-sweeper");
            t.setDaemon(true);
            return t;
          });

  public HistorySweeper(
      BooleanSupplier isLeader,
      Proposer proposer,
      RetentionConfig config,
      Clock clock,
      MeterRegistry registry) {
    this.isLeader = isLeader;
    this.proposer = proposer;
    this.config = config;
    this.clock = clock;
    this.expired =
        Counter.builder("horae.history.expired")
            .description("Finished executions removed by the history TTL")
            .register(registry);
  }

  public HistorySweeper start() {
    long ms = config.sweepInterval().toMillis();
    timer.scheduleWithFixedDelay(this::sweep, ms, ms, TimeUnit.MILLISECONDS);
    return this;
  }

  /** One sweep; also called by tests. Returns the executions removed. */
  public int sweep() {
    int removed = 0;
    try {
      for (int round = 0; round < ROUNDS_MAX && isLeader.getAsBoolean(); round++) {
        OpResult r =
            proposer
                .propose(op(clock.millis()))
                .get(PROPOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        removed += r.getExpired();
        expired.increment(r.getExpired());
        if (r.getExpired() < config.batchMax()) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("history sweep stopped after {} removals: {}", removed, e.toString());
    }
    if (removed > 0) {
      LOG.info("history sweep removed {} finished executions", removed);
    }
    return removed;
  }

  /** The removal op at nowMs: each namespace's cutoff is now minus its TTL (0 = keep forever). */
  Op op(long nowMs) {
    ExpireHistory.Builder b =
        ExpireHistory.newBuilder()
            .setNowMs(nowMs)
            .setMax(config.batchMax())
            .setDefaultCutoffMs(cutoff(nowMs, config.historyTtl()));
    for (Map.Entry<String, Duration> e : config.namespaceTtl().byNamespace().entrySet()) {
      b.addCutoffs(
          NamespaceCutoff.newBuilder()
              .setNamespace(e.getKey())
              .setCutoffMs(cutoff(nowMs, e.getValue())));
    }
    return Op.newBuilder().setExpireHistory(b).build();
  }

  private static long cutoff(long nowMs, Duration ttl) {
    return ttl.isZero() ? 0 : Math.max(1, nowMs - ttl.toMillis());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
