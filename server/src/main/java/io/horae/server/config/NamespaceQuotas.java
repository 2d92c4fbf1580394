package io.horae.server.config;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Quota overrides per namespace, written {@code "pay:jobs=1000,pay:rate=50,search:pending=500"}:
 * items {@code namespace:kind=value} with kind {@code jobs}, {@code pending} or {@code rate}
 * (creates per second); 0 = no limit.
 */
public record NamespaceQuotas(Map<String, Override> byNamespace) {
  public static final NamespaceQuotas NONE = new NamespaceQuotas(Map.of());
  private static final Pattern ITEM =
      Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]{0,127}):(jobs|pending|rate)=([0-9]{1,12})");

  /** Most namespaces one value may name. */
  static final int ENTRIES_MAX = 1_000;

  /** One namespace's overrides; null = the node default. */
  public record Override(Long jobsMax, Long pendingMax, Long createsPerSecond) {}

  public NamespaceQuotas {
    byNamespace = Map.copyOf(byNamespace);
  }

  static NamespaceQuotas parse(String text) {
    if (text.isBlank()) {
      return NONE;
    }
    Map<String, Override> out = new TreeMap<>();
    for (String raw : text.split(",")) {
      String item = raw.trim();
      var m = ITEM.matcher(item);
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "expected namespace:kind=value items (kind jobs, pending or rate) separated by commas, got '"
                + shown(item)
                + "'");
      }
      Override o = out.getOrDefault(m.group(1), new Override(null, null, null));
      long value = Long.parseLong(m.group(3));
      Override next =
          switch (m.group(2)) {
            case "jobs" ->
                o.jobsMax() == null
                    ? new Override(value, o.pendingMax(), o.createsPerSecond())
                    : null;
            case "pending" ->
                o.pendingMax() == null
                    ? new Override(o.jobsMax(), value, o.createsPerSecond())
                    : null;
            default ->
                o.createsPerSecond() == null
                    ? new Override(o.jobsMax(), o.pendingMax(), value)
                    : null;
          };
      if (next == null) {
        throw new IllegalArgumentException(m.group(1) + ":" + m.group(2) + " is given twice");
      }
      out.put(m.group(1), next);
    }
    if (out.size() > ENTRIES_MAX) {
      throw new IllegalArgumentException("at most " + ENTRIES_MAX + " namespaces");
    }
    return new NamespaceQuotas(out);
  }

  static String format(NamespaceQuotas value) {
    return new TreeMap<>(value.byNamespace)
        .entrySet().stream()
            .flatMap(
                e ->
                    java.util.stream.Stream.of(
                            e.getValue().jobsMax() == null
                                ? null
                                : e.getKey() + ":jobs=" + e.getValue().jobsMax(),
                            e.getValue().pendingMax() == null
                                ? null
                                : e.getKey() + ":pending=" + e.getValue().pendingMax(),
                            e.getValue().createsPerSecond() == null
                                ? null
                                : e.getKey() + ":rate=" + e.getValue().createsPerSecond())
                        .filter(java.util.Objects::nonNull))
            .collect(Collectors.joining(","));
  }

  private static String shown(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
