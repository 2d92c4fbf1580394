package io.horae.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A chart of the report, rendered to {@code file} (PNG). Kind XY draws lines of (x, y) series; BAR
 * draws one bar per category of the first series (x values are indexes into {@code categories}).
 */
record Chart(
    String file,
    String title,
    Kind kind,
    String xLabel,
    String yLabel,
    Map<String, double[][]> series,
    java.util.List<String> categories) {
  enum Kind {
    XY,
    BAR
  }

  static Chart xy(String file, String title, String xLabel, String yLabel) {
    return new Chart(
        file, title, Kind.XY, xLabel, yLabel, new LinkedHashMap<>(), java.util.List.of());
  }

  static Chart bar(String file, String title, String yLabel, Map<String, ? extends Number> values) {
    Map<String, double[][]> series = new LinkedHashMap<>();
    double[] y = values.values().stream().mapToDouble(Number::doubleValue).toArray();
    series.put(yLabel, new double[][] {new double[y.length], y});
    return new Chart(
        file, title, Kind.BAR, "", yLabel, series, java.util.List.copyOf(values.keySet()));
  }

  Chart with(String name, double[][] xy) {
    series.put(name, xy);
    return this;
  }
}
