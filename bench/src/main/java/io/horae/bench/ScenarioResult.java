package io.horae.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one scenario measured: figures for the JSON and the tables, charts, and notes. */
final class ScenarioResult {
  final String name;
  final Map<String, Object> figures = new LinkedHashMap<>();
  final List<Chart> charts = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  /** Table rows of the report (label, value), in order; a subset of the figures, for people. */
  final Map<String, String> headline = new LinkedHashMap<>();

  ScenarioResult(String name) {
    this.name = name;
  }

  ScenarioResult put(String key, Object value) {
    figures.put(key, value);
    return this;
  }

  ScenarioResult headline(String label, String value) {
    headline.put(label, value);
    return this;
  }

  /** Adds the standard delivery figures of {@code d}: counts, lateness, per-node share. */
  ScenarioResult deliveries(Deliveries d, long expected) {
    put("expected", expected);
    put("delivered", d.distinct());
    put("lost", Math.max(0, expected - d.distinct()));
    put("duplicates", d.duplicates());
    put("early", d.early());
    put("lateness_ms", d.latenessFigures());
    put("per_node", d.perNode());
    return this;
  }
}
