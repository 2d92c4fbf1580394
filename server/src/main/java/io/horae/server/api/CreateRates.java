package io.horae.server.api;

import io.horae.server.config.QuotaConfig;
import io.horae.server.errors.QuotaExceededException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The creates-per-second quota of each namespace on this node: a token bucket per namespace that
 * holds one second's worth. Bounded: at most {@link #NAMESPACES_MAX} buckets, the least recently
 * used dropped first (a dropped namespace starts again with a full bucket).
 */
final class CreateRates {
  static final int NAMESPACES_MAX = 10_000;

  private static final class Bucket {
    double tokens;
    long atNanos;
  }

  private final QuotaConfig quotas;
  private final LongSupplier nanos;
  private final Map<String, Bucket> buckets =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
          return size() > NAMESPACES_MAX;
        }
      };

  CreateRates(QuotaConfig quotas, LongSupplier nanos) {
    this.quotas = quotas;
    this.nanos = nanos;
  }

  /** Takes {@code n} creates from the namespace's bucket, or throws without taking any. */
  synchronized void take(String namespace, int n) {
    long rate = quotas.of(namespace).createsPerSecond();
    if (rate <= 0) {
      return;
    }
    long now = nanos.getAsLong();
    Bucket b = buckets.computeIfAbsent(namespace, k -> new Bucket());
    if (b.atNanos == 0) {
      b.tokens = rate;
    } else {
      b.tokens = Math.min(rate, b.tokens + (now - b.atNanos) * rate / 1e9);
    }
    b.atNanos = now;
    if (n > rate) {
      throw new QuotaExceededException(
          namespace,
          "creates per second",
          "a call of "
              + n
              + " creates is more than the namespace's "
              + rate
              + " per second (quota.createsPerSecond); split it",
          Duration.ofSeconds(1));
    }
    if (b.tokens < n) {
      long waitNanos = (long) Math.ceil((n - b.tokens) * 1e9 / rate);
      throw new QuotaExceededException(
          namespace,
          "creates per second",
          "namespace "
              + namespace
              + " may create "
              + rate
              + " jobs per second through this node (quota.createsPerSecond)",
          Duration.ofNanos(Math.max(waitNanos, 1_000_000)));
    }
    b.tokens -= n;
  }
}
