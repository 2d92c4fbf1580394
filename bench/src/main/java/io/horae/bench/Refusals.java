package io.horae.bench;

import io.grpc.Status;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Creates the cluster refused, counted by gRPC status code, so a report says what was refused and
 * why ("RESOURCE_EXHAUSTED: 1,234") instead of hiding it in a rate. Thread-safe.
 */
final class Refusals {
  private final Map<Status.Code, LongAdder> byCode = new ConcurrentHashMap<>();

  void add(int code) {
    byCode.computeIfAbsent(Status.fromCodeValue(code).getCode(), c -> new LongAdder()).increment();
  }

  long total() {
    return byCode.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** Code name to count, by name, for the JSON. */
  Map<String, Long> byCode() {
    Map<String, Long> out = new TreeMap<>();
    byCode.forEach((code, n) -> out.put(code.name(), n.sum()));
    return out;
  }

  /** "RESOURCE_EXHAUSTED: 1,234, UNAVAILABLE: 3", or "none". */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ");
    byCode().forEach((code, n) -> j.add(String.format("%s: %,d", code, n)));
    return j.length() == 0 ? "none" : j.toString();
  }
}
