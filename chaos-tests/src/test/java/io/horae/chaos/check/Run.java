package io.horae.chaos.check;

import io.horae.chaos.check.Event.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A hand-made run for checker tests: a clean baseline (a one-shot job "default/a" due at {@link
 * #A_AT}, a recurring "default/r" every 2 s from {@link #R_ANCHOR} at most 3 times, every execution
 * delivered once by n1 on time, three equal digests) that tests then break one way. Times are
 * offsets from {@link #T0}.
 */
final class Run {
  static final long T0 = 1_000_000;
  static final long A_AT = T0 + 5_000;
  static final long R_ANCHOR = T0 + 4_000;
  static final long R_EVERY = 2_000;
  static final long END = T0 + 30_000;
  static final String A = "default/a";
  static final String R = "default/r";

  final List<Event> events = new ArrayList<>();
  final List<Delivery> deliveries = new ArrayList<>();
  final Map<String, String> digests = new TreeMap<>(Map.of("n1", "d", "n2", "d", "n3", "d"));
  final List<FinalState.Execution> executions = new ArrayList<>();
  final List<FinalState.Job> jobs = new ArrayList<>();
  long endMs = END;

  static Run clean() {
    Run run = new Run();
    run.events.add(Event.run(T0, 42, List.of("n1", "n2", "n3")));
    run.op(
        Event.create(T0 + 100, "client-1", Type.INVOKE, A, ScheduleSpec.at(A_AT)),
        Type.OK,
        T0 + 200);
    ScheduleSpec r = ScheduleSpec.every(R_EVERY, R_ANCHOR, 3);
    run.op(Event.create(T0 + 300, "client-2", Type.INVOKE, R, r), Type.OK, T0 + 400);
    run.jobs.add(new FinalState.Job(R, "COMPLETED", r));
    run.deliver(A, A_AT, "n1", A_AT);
    run.executions.add(new FinalState.Execution(A + "@" + A_AT, "SUCCEEDED", 1, A_AT));
    for (long t = R_ANCHOR; t <= R_ANCHOR + 2 * R_EVERY; t += R_EVERY) {
      run.deliver(R, t, "n1", t + 1);
      run.executions.add(new FinalState.Execution(R + "@" + t, "SUCCEEDED", 1, t));
    }
    return run;
  }

  /** Logs an invoke and its completion. */
  Run op(Event invoke, Type type, long doneMs) {
    events.add(invoke);
    events.add(invoke.complete(type, doneMs));
    return this;
  }

  /** A nemesis operation on {@code node} that took 50 ms. */
  Run nemesis(String f, String node, long atMs) {
    return op(Event.nemesis(atMs, Type.INVOKE, f, List.of(node)), Type.OK, atMs + 50);
  }

  /** A request with the standard key, sent by {@code node} at {@code startMs}, answered 200. */
  Run deliver(String job, long scheduledMs, String node, long startMs) {
    return deliverWithKey(job + "@" + scheduledMs, scheduledMs, node, startMs);
  }

  /** A request with any key, for the execution scheduled at {@code scheduledMs}. */
  Run deliverWithKey(String key, long scheduledMs, String node, long startMs) {
    deliveries.add(new Delivery(startMs + 3, scheduledMs, key, 1, node, startMs, scheduledMs, 200));
    return this;
  }

  Report check() {
    return check(CheckOptions.defaults());
  }

  Report check(CheckOptions options) {
    List<Event> all = new ArrayList<>(events);
    all.add(Event.end(endMs));
    return Checker.check(
        new History(all), deliveries, new FinalState(digests, executions, jobs), options);
  }
}
