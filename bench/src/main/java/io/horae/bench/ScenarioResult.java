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

  /**
   * Whether this scenario restarted nodes: their code starts cold again, so the bench warms the
   * cluster up once more before it measures the next scenario.
   */
  boolean restartedNodes;

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

  /**
   * Adds the standard delivery figures of {@code d} against the creates the cluster acknowledged:
   * counts, lateness, per-node share. What had not arrived when the settle time ended is
   * "undelivered at the end", not lost: the bench stopped looking, the cluster may still deliver
   * it. Executions delivered though their create was never acknowledged (its answer was lost, or
   * given up after a deadline, yet the cluster had created it) are counted apart, so the two never
   * net out into a negative "lost".
   */
  ScenarioResult deliveries(Deliveries d, java.util.Set<String> acknowledged) {
    long deliveredAcknowledged = d.deliveredAmong(acknowledged);
    put("expected", acknowledged.size());
    put("delivered", d.distinct());
    put("undelivered_at_end", acknowledged.size() - deliveredAcknowledged);
    put("delivered_without_acknowledged_create", d.distinct() - deliveredAcknowledged);
    put("duplicates", d.duplicates());
    put("early", d.early());
    put("lateness_ms", d.latenessFigures());
    put("per_node", d.perNode());
    if (d.otherScenarios() > 0) {
      put("arrivals_of_earlier_scenarios", d.otherScenarios());
      notes.add(
          String.format(
              "%,d deliveries of earlier scenarios arrived during this one (their settle time had ended).",
              d.otherScenarios()));
    }
    return this;
  }

  /** "undelivered at the end / duplicates / early", the row every delivering scenario shows. */
  String outcomeRow() {
    return figures.get("undelivered_at_end")
        + " / "
        + figures.get("duplicates")
        + " / "
        + figures.get("early");
  }

  /** The figure {@code key} as a long (0 when absent). */
  long count(String key) {
    return figures.get(key) instanceof Number n ? n.longValue() : 0;
  }

  /** Adds what the node processes spent on {@code ops} operations of kind {@code op}. */
  ScenarioResult cost(String key, Cost cost, long ops, String op) {
    put(key, cost.figures(ops, op));
    return this;
  }
}
