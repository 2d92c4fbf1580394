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
  /** Longest example message kept per code. */
  static final int EXAMPLE_CHARS_MAX = 300;

  private final Map<Status.Code, LongAdder> byCode = new ConcurrentHashMap<>();

  /** The first message seen per code: what a count of INTERNAL or UNAVAILABLE was. */
  private final Map<Status.Code, String> examples = new ConcurrentHashMap<>();

  void add(int code, String message) {
    Status.Code c = Status.fromCodeValue(code).getCode();
    byCode.computeIfAbsent(c, x -> new LongAdder()).increment();
    if (message != null && !message.isBlank()) {
      examples.putIfAbsent(
          c,
          message.length() <= EXAMPLE_CHARS_MAX
              ? message
              : message.substring(0, EXAMPLE_CHARS_MAX) + "...");
    }
  }

  /** Code name to the first message answered with it, for the JSON. */
  Map<String, String> examples() {
    Map<String, String> out = new TreeMap<>();
    examples.forEach((code, m) -> out.put(code.name(), m));
    return out;
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
