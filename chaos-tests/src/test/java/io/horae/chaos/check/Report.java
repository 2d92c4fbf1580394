package io.horae.chaos.check;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checker's verdict on one run: the violations, each with the nemesis events near it, the run's
 * seed (to replay it) and counts. {@link #write} puts it next to the run's files as text for people
 * ({@value #TEXT_FILE}) and JSON for tools ({@value #JSON_FILE}).
 *
 * @param ops client operations by "f type", e.g. "create ok"
 * @param faults nemesis operations that may have happened, by f
 * @param violationsByKind violation counts by kind
 */
public record Report(
    Long seed,
    List<Violation> violations,
    Map<String, Integer> ops,
    Map<String, Integer> faults,
    int deliveries,
    int duplicates,
    Map<String, Integer> violationsByKind) {
  public static final String TEXT_FILE = "check-report.txt";
  public static final String JSON_FILE = "check-report.json";

  public Report {
    violations = List.copyOf(violations);
    ops = new TreeMap<>(ops);
    faults = new TreeMap<>(faults);
    violationsByKind = new TreeMap<>(violationsByKind);
  }

  public boolean valid() {
    return violations.isEmpty();
  }

  /** The violations of one kind, for tests and summaries. */
  public List<Violation> violations(Violation.Kind kind) {
    return violations.stream().filter(v -> v.kind() == kind).toList();
  }

  public void write(Path dir) {
    try {
      Files.writeString(dir.resolve(TEXT_FILE), toText(), StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve(JSON_FILE), Json.PRETTY.toJson(toJson()) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the check report to " + dir, e);
    }
  }

  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append(valid() ? "VALID" : "INVALID: " + violations.size() + " violation(s)").append('\n');
    b.append("seed: ").append(seed).append('\n');
    b.append("client ops: ").append(ops).append('\n');
    b.append("faults: ").append(faults).append('\n');
    b.append("deliveries: ")
        .append(deliveries)
        .append(", duplicates: ")
        .append(duplicates)
        .append('\n');
    b.append("violations by kind: ").append(violationsByKind).append('\n');
    for (Violation v : violations) {
      b.append('\n')
          .append(v.kind())
          .append(' ')
          .append(v.subject())
          .append(" at ")
          .append(v.atMs())
          .append('\n');
      b.append("  ").append(v.explanation()).append('\n');
      for (Event e : v.nearby()) {
        b.append("  nearby: ")
            .append(e.timeMs() - v.atMs())
            .append(" ms ")
            .append(e.toJsonLine())
            .append('\n');
      }
    }
    return b.toString();
  }

  JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("valid", valid());
    o.addProperty("seed", seed);
    o.add("ops", counts(ops));
    o.add("faults", counts(faults));
    o.addProperty("deliveries", deliveries);
    o.addProperty("duplicates", duplicates);
    o.add("violations_by_kind", counts(violationsByKind));
    JsonArray vs = new JsonArray();
    for (Violation v : violations) {
      JsonObject x = new JsonObject();
      x.addProperty("kind", v.kind().name());
      x.addProperty("subject", v.subject());
      x.addProperty("at_ms", v.atMs());
      x.addProperty("explanation", v.explanation());
      JsonArray nearby = new JsonArray();
      v.nearby().forEach(e -> nearby.add(JsonParser.parseString(e.toJsonLine())));
      x.add("nearby", nearby);
      vs.add(x);
    }
    o.add("violations", vs);
    return o;
  }

  private static JsonObject counts(Map<String, Integer> m) {
    JsonObject o = new JsonObject();
    m.forEach(o::addProperty);
    return o;
  }
}
