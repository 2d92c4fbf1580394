package io.horae.server.config;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A duration per namespace, written {@code "team-a=1d,team-b=30d"} (a duration of 0 = forever). */
public record NamespaceDurations(Map<String, Duration> byNamespace) {
  public static final NamespaceDurations NONE = new NamespaceDurations(Map.of());
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** Most namespaces one value may name. */
  static final int ENTRIES_MAX = 1_000;

  public NamespaceDurations {
    byNamespace = Map.copyOf(byNamespace);
  }

  static NamespaceDurations parse(String text) {
    Map<String, Duration> out = new TreeMap<>();
    if (text.isBlank()) {
      return NONE;
    }
    for (String item : text.split(",")) {
      String[] kv = item.trim().split("=", 2);
      if (kv.length != 2 || !NAMESPACE.matcher(kv[0].trim()).matches()) {
        throw new IllegalArgumentException(
            "expected namespace=duration items separated by commas, got '" + item.trim() + "'");
      }
      if (out.put(kv[0].trim(), Durations.parse(kv[1].trim())) != null) {
        throw new IllegalArgumentException("namespace " + kv[0].trim() + " is named twice");
      }
    }
    if (out.size() > ENTRIES_MAX) {
      throw new IllegalArgumentException("at most " + ENTRIES_MAX + " namespaces");
    }
    return new NamespaceDurations(out);
  }

  static String format(NamespaceDurations value) {
    return new TreeMap<>(value.byNamespace)
        .entrySet().stream()
            .map(e -> e.getKey() + "=" + Durations.format(e.getValue()))
            .collect(Collectors.joining(","));
  }
}
