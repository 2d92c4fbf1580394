package io.horae.chaos.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What every check reads, prepared once: the files' contents and indexes over them. {@code
 * byExecution} holds each execution's requests by start time, executions ordered by job, then
 * scheduled time.
 */
record CheckInput(
    History history,
    List<Op> ops,
    List<Delivery> deliveries,
    NavigableMap<ExecutionKey, List<Delivery>> byExecution,
    FinalState finalState,
    Faults faults,
    CheckOptions options) {
  static CheckInput of(
      History history, List<Delivery> deliveries, FinalState finalState, CheckOptions options) {
    NavigableMap<ExecutionKey, List<Delivery>> byExecution = new TreeMap<>();
    for (Delivery d : deliveries) {
      byExecution.computeIfAbsent(d.execution(), k -> new ArrayList<>()).add(d);
    }
    byExecution.values().forEach(l -> l.sort(Comparator.comparingLong(Delivery::startMs)));
    return new CheckInput(
        history,
        history.ops(),
        List.copyOf(deliveries),
        byExecution,
        finalState,
        Faults.of(history),
        options);
  }

  /** Client operations {@code f} on {@code job} (cancels: on any execution of it). */
  List<Op> opsOn(String f, String job) {
    return ops.stream()
        .filter(o -> o.f().equals(f) && !o.invoke().isNemesis() && job.equals(o.job()))
        .toList();
  }

  List<Op> clientOps(String f) {
    return ops.stream()
        .filter(
            o -> o.f().equals(f) && !o.invoke().isNemesis() && !Event.RUNNER.equals(o.process()))
        .toList();
  }

  List<Delivery> deliveriesOf(ExecutionKey e) {
    return byExecution.getOrDefault(e, List.of());
  }

  /** The latest scheduled time that counts as due. */
  long dueLimitMs() {
    return history.endMs() - options.settleMarginMs();
  }
}
