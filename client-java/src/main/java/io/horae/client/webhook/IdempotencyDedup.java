package io.horae.client.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers recently seen {@code Idempotency-Key} values so a receiver acts once per execution,
 * even though Horae delivers at least once (retries, failovers).
 *
 * <p>Bounded in both size and age: a key is remembered for {@link Builder#ttl(Duration) ttl} after
 * it was first seen, and when {@link Builder#entriesMax(int) entriesMax} keys are held, the key
 * first seen longest ago is forgotten to make room. Oldest-first eviction suits dedup: retries of
 * one execution arrive close together, so the oldest keys are the least likely to come back. A key
 * that is forgotten early can be processed twice; size the bounds to cover the retry window. Memory
 * is per process: several receiver instances need a shared store instead.
 *
 * <p>Thread-safe: all state is guarded by {@code this}; every method runs in O(1) amortized time.
 */
public final class IdempotencyDedup {
  /** How many keys are remembered by default. */
  public static final int DEFAULT_ENTRIES_MAX = 100_000;

  /** How long a key is remembered by default; cover the longest retry schedule you configure. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /** The longest key accepted, in characters; Horae execution ids are far shorter. */
  public static final int KEY_CHARS_MAX = 256;

  private final int entriesMax;
  private final Duration ttl;
  private final Clock clock;

  /** Key to the instant it was first seen, in insertion (= first-seen) order. Guarded by this. */
  private final LinkedHashMap<String, Instant> firstSeen = new LinkedHashMap<>();

  /** Keys forgotten because the map was full, for a metric. Guarded by this. */
  private long evictedFullCount;

  private IdempotencyDedup(Builder builder) {
    this.entriesMax = builder.entriesMax;
    this.ttl = builder.ttl;
    this.clock = builder.clock;
  }

  /** Returns a builder with the default bounds and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Records the key and says whether this is the first time it is seen within the TTL.
   *
   * @param key the {@code Idempotency-Key} header value: 1 to {@link #KEY_CHARS_MAX} characters
   * @return {@code true} the first time (process the delivery), {@code false} for a repeat (answer
   *     2xx without acting again)
   * @throws IllegalArgumentException if the key is empty or too long
   */
  public synchronized boolean firstTime(String key) {
    checkKey(key);
    Instant now = clock.instant();
    expire(now);
    if (firstSeen.containsKey(key)) {
      return false;
    }
    if (firstSeen.size() >= entriesMax) {
      Iterator<String> oldest = firstSeen.keySet().iterator();
      oldest.next();
      oldest.remove();
      evictedFullCount++;
    }
    firstSeen.put(key, now);
    return true;
  }

  /**
   * Forgets a key, so the next delivery with it counts as the first. Call it when processing failed
   * after {@link #firstTime} returned {@code true}, so that Horae's retry is not dropped.
   *
   * @param key the key
   */
  public synchronized void forget(String key) {
    firstSeen.remove(Objects.requireNonNull(key, "key"));
  }

  /** Returns how many keys are remembered now, including expired ones not yet dropped. */
  public synchronized int size() {
    return firstSeen.size();
  }

  /** Returns how many keys were forgotten before their TTL because the dedup was full. */
  public synchronized long evictedFullCount() {
    return evictedFullCount;
  }

  /** Drops keys first seen more than the TTL ago; they sit at the head of the insertion order. */
  private void expire(Instant now) {
    Instant cutoff = now.minus(ttl);
    Iterator<Map.Entry<String, Instant>> it = firstSeen.entrySet().iterator();
    while (it.hasNext()) {
      // A clock that steps back leaves entries out of order; they expire a little late, never
      // early.
      if (it.next().getValue().isAfter(cutoff)) {
        return;
      }
      it.remove();
    }
  }

  private static void checkKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty() || key.length() > KEY_CHARS_MAX) {
      throw new IllegalArgumentException(
          "idempotency key must be 1.." + KEY_CHARS_MAX + " characters, was " + key.length());
    }
  }

  @Override
  public String toString() {
    return "IdempotencyDedup[entriesMax=" + entriesMax + ", ttl=" + ttl + "]";
  }

  /** Configures an {@link IdempotencyDedup}. Not thread-safe. */
  public static final class Builder {
    private int entriesMax = DEFAULT_ENTRIES_MAX;
    private Duration ttl = DEFAULT_TTL;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets how many keys are remembered at most, at least 1; default {@link #DEFAULT_ENTRIES_MAX}.
     */
    public Builder entriesMax(int entriesMax) {
      if (entriesMax < 1) {
        throw new IllegalArgumentException("entriesMax must be >= 1, was " + entriesMax);
      }
      this.entriesMax = entriesMax;
      return this;
    }

    /**
     * Sets how long a key is remembered after it was first seen, positive; default {@link
     * #DEFAULT_TTL}.
     */
    public Builder ttl(Duration ttl) {
      Objects.requireNonNull(ttl, "ttl");
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, was " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /** Sets the clock; default the system UTC clock. For tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds the dedup. */
    public IdempotencyDedup build() {
      return new IdempotencyDedup(this);
    }
  }
}
