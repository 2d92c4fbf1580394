package io.horae.server.fuzz;

import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Sends cases to the nodes round-robin, at most {@link #IN_FLIGHT_MAX} at once, and collects what
 * the judge finds wrong with the replies. The cases are made one at a time on the calling thread
 * (the generator is not thread-safe, and a run must replay from its seed); replies are judged on
 * gRPC's threads.
 */
public final class FuzzRun {
  /**
   * Calls in flight at once: enough to keep three nodes busy, few enough for huge requests' memory.
   */
  static final int IN_FLIGHT_MAX = 16;

  /** A unary call's deadline; a server that needs longer for a malformed request has a bug. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

  /** Longest wait for all calls of a run to finish. */
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

  /** A case whose reply was not clean. */
  public record Failure(CaseGenerator.Case c, String problem) {
    @Override
    public String toString() {
      return c + ": " + problem;
    }
  }

  private final List<? extends Channel> channels;

  /** Guarded by itself; written by gRPC threads. */
  private final List<Failure> failures = new ArrayList<>();

  /** Status codes seen, for the run's summary; guarded by itself. */
  private final Map<String, Integer> codes = new TreeMap<>();

  public FuzzRun(List<? extends Channel> channels) {
    this.channels = channels;
  }

  /** Sends {@code count} cases from {@code cases}; returns when every reply has been judged. */
  public void send(
      int count,
      Supplier<CaseGenerator.Case> cases,
      BiFunction<CaseGenerator.Case, RawCaller.Outcome, String> judge)
      throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT_MAX);
    for (int i = 0; i < count; i++) {
      if (!slots.tryAcquire(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(
            "no reply within " + RUN_TIMEOUT + " with " + IN_FLIGHT_MAX + " calls in flight");
      }
      CaseGenerator.Case c = cases.get();
      MethodDescriptor<byte[], byte[]> raw = RawCaller.raw(c.method());
      Channel channel = channels.get(i % channels.size());
      RawCaller.call(channel, raw, c.bytes(), CALL_TIMEOUT)
          .whenComplete(
              (outcome, error) -> {
                try {
                  String problem =
                      error != null
                          ? "the call failed on the client: " + error
                          : judgeSafely(judge, c, outcome);
                  synchronized (codes) {
                    codes.merge(
                        outcome == null ? "client error" : outcome.status().getCode().name(),
                        1,
                        Integer::sum);
                  }
                  if (problem != null) {
                    synchronized (failures) {
                      failures.add(new Failure(c, problem));
                    }
                  }
                } finally {
                  slots.release();
                }
              });
    }
    if (!slots.tryAcquire(IN_FLIGHT_MAX, RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("calls still open after " + RUN_TIMEOUT);
    }
  }

  private static String judgeSafely(
      BiFunction<CaseGenerator.Case, RawCaller.Outcome, String> judge,
      CaseGenerator.Case c,
      RawCaller.Outcome o) {
    try {
      return judge.apply(c, o);
    } catch (RuntimeException e) {
      return "judging the reply threw " + e;
    }
  }

  public List<Failure> failures() {
    synchronized (failures) {
      return List.copyOf(failures);
    }
  }

  public Map<String, Integer> codes() {
    synchronized (codes) {
      return Map.copyOf(codes);
    }
  }
}
