package io.horae.server.console;

import io.grpc.Status;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a console API request's query string ({@code a=1&b=x%20y}); the last value of a
 * name wins.
 */
final class Query {
  private final Map<String, String> values;

  private Query(Map<String, String> values) {
    this.values = values;
  }

  /** Parses a raw (still percent-encoded) query; null or empty gives no parameters. */
  static Query parse(String raw) {
    Map<String, String> values = new LinkedHashMap<>();
    if (raw != null && !raw.isEmpty()) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        try {
          values.put(
              URLDecoder.decode(name, StandardCharsets.UTF_8),
              URLDecoder.decode(value, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw Status.INVALID_ARGUMENT
              .withDescription("query parameter " + name + " is not valid percent-encoding")
              .asRuntimeException();
        }
      }
    }
    return new Query(values);
  }

  /** The value of {@code name}, trimmed; "" when absent. */
  String get(String name) {
    return values.getOrDefault(name, "").trim();
  }

  /** The comma-separated values of {@code name}, trimmed, empty ones left out. */
  List<String> list(String name) {
    List<String> out = new ArrayList<>();
    for (String v : get(name).split(",")) {
      if (!v.isBlank()) {
        out.add(v.trim());
      }
    }
    return out;
  }

  /**
   * A whole number in [1, max], or {@code otherwise} when absent; INVALID_ARGUMENT when not a
   * number.
   */
  int intIn(String name, int max, int otherwise) {
    String v = get(name);
    if (v.isEmpty()) {
      return otherwise;
    }
    try {
      return Math.max(1, Math.min(max, Integer.parseInt(v)));
    } catch (NumberFormatException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("query parameter " + name + "=" + v + " is not a whole number")
          .asRuntimeException();
    }
  }
}
