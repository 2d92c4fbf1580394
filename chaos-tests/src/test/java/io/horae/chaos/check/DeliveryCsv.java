package io.horae.chaos.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the receiver's log ({@code deliveries.csv}, written by {@code io.horae.chaos.DeliveryLog}).
 * Columns are found by header name, so columns added later are ignored and the optional ones
 * ({@code attempt_time}, {@code scheduled_header}, {@code status}) may be missing; the literal
 * {@code null} stands for a header the request did not carry.
 */
public final class DeliveryCsv {
  public static final String FILE = "deliveries.csv";
  static final List<String> REQUIRED =
      List.of("received_ms", "scheduled_ms", "idempotency_key", "node");

  private DeliveryCsv() {}

  public static List<Delivery> read(Path file) {
    try {
      return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read deliveries " + file, e);
    }
  }

  static List<Delivery> parse(List<String> lines, String where) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(where + ": no header");
    }
    Map<String, Integer> col = new HashMap<>();
    String[] header = lines.get(0).strip().split(",", -1);
    for (int i = 0; i < header.length; i++) {
      col.put(header[i], i);
    }
    for (String c : REQUIRED) {
      if (!col.containsKey(c)) {
        throw new IllegalArgumentException(
            where + ": header lacks column " + c + ": " + lines.get(0));
      }
    }
    List<Delivery> out = new ArrayList<>();
    for (int n = 1; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] v = line.split(",", -1);
      try {
        out.add(
            new Delivery(
                Long.parseLong(v[col.get("received_ms")]),
                Long.parseLong(v[col.get("scheduled_ms")]),
                v[col.get("idempotency_key")],
                parseInt(cell(v, col, "attempt")),
                cell(v, col, "node"),
                parseInstant(cell(v, col, "attempt_time")),
                parseInstant(cell(v, col, "scheduled_header")),
                parseInt(cell(v, col, "status"))));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            where + " line " + (n + 1) + ": " + e.getMessage() + ": " + line, e);
      }
    }
    return List.copyOf(out);
  }

  /** The cell, or null when the column is absent, short or the literal "null". */
  private static String cell(String[] v, Map<String, Integer> col, String name) {
    Integer i = col.get(name);
    if (i == null || i >= v.length || v[i].isEmpty() || v[i].equals("null")) {
      return null;
    }
    return v[i];
  }

  private static Integer parseInt(String s) {
    return s == null ? null : Integer.valueOf(s);
  }

  private static Long parseInstant(String s) {
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s).toEpochMilli();
    } catch (DateTimeParseException e) {
      return Long.valueOf(s); // epoch millis are accepted too
    }
  }
}
