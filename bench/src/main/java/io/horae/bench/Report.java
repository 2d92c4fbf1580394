package io.horae.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * Writes a bench run to a directory: {@code report.json} (every figure), {@code charts/*.png},
 * {@code index.html} (self-contained: the charts are embedded) and {@code summary.md} (the headline
 * table, as the README shows it).
 */
final class Report {
  static final String JSON = "report.json";
  static final String HTML = "index.html";
  static final String SUMMARY = "summary.md";
  private static final int WIDTH = 900;
  private static final int HEIGHT = 450;

  private Report() {}

  static void write(Path dir, Map<String, Object> machine, String command, List<ScenarioResult> ran)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<ScenarioResult> results = ladderFirst(ran);
    Path charts = Files.createDirectories(dir.resolve("charts"));
    Map<String, byte[]> images = new LinkedHashMap<>();
    for (ScenarioResult r : results) {
      for (io.horae.bench.Chart c : r.charts) {
        byte[] png = render(c);
        if (png != null) {
          Files.write(charts.resolve(c.file()), png);
          images.put(c.file(), png);
        }
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", command);
    json.put("machine", machine);
    Map<String, Object> scenarios = new LinkedHashMap<>();
    for (ScenarioResult r : results) {
      Map<String, Object> s = new LinkedHashMap<>(r.figures);
      if (!r.notes.isEmpty()) {
        s.put("notes", r.notes);
      }
      s.put(
          "charts",
          r.charts.stream()
              .map(c -> "charts/" + c.file())
              .filter(f -> images.containsKey(f.substring(7)))
              .toList());
      scenarios.put(r.name, s);
    }
    json.put("scenarios", scenarios);
    Files.writeString(dir.resolve(JSON), Json.write(json), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve(SUMMARY), summary(command, machine, results), StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve(HTML), html(command, machine, results, images), StandardCharsets.UTF_8);
  }

  /**
   * The capacity figure heads every table (issue 11 item 4); the others keep the order they ran in.
   */
  static List<ScenarioResult> ladderFirst(List<ScenarioResult> results) {
    List<ScenarioResult> out =
        new ArrayList<>(results.stream().filter(r -> r.name.equals("ladder")).toList());
    results.stream().filter(r -> !r.name.equals("ladder")).forEach(out::add);
    return out;
  }

  /** The headline rows as a Markdown table, with the command and the machine. */
  static String summary(String command, Map<String, Object> machine, List<ScenarioResult> results) {
    StringBuilder b = new StringBuilder();
    b.append("`").append(command).append("` on ").append(machineLine(machine)).append("\n\n");
    b.append("| Scenario | Figure | Value |\n|---|---|---|\n");
    for (ScenarioResult r : results) {
      r.headline.forEach(
          (label, value) ->
              b.append("| ")
                  .append(r.name)
                  .append(" | ")
                  .append(label)
                  .append(" | ")
                  .append(value)
                  .append(" |\n"));
    }
    return b.toString();
  }

  static String machineLine(Map<String, Object> machine) {
    String line =
        machine.get("cores")
            + " cores, "
            + machine.get("memory")
            + ", "
            + machine.get("cpu")
            + ", JDK "
            + machine.get("jdk");
    return machine.containsKey("node_jvm")
        ? line + ", node JVM `" + machine.get("node_jvm") + "`"
        : line;
  }

  private static byte[] render(io.horae.bench.Chart c) throws IOException {
    List<Map.Entry<String, double[][]>> series = new ArrayList<>();
    c.series().entrySet().stream().filter(e -> e.getValue()[1].length > 0).forEach(series::add);
    if (series.isEmpty()) {
      return null;
    }
    Chart<?, ?> chart;
    if (c.kind() == io.horae.bench.Chart.Kind.BAR) {
      CategoryChart bar =
          new CategoryChartBuilder()
              .width(WIDTH)
              .height(HEIGHT)
              .title(c.title())
              .yAxisTitle(c.yLabel())
              .build();
      bar.getStyler().setLegendVisible(false);
      List<Number> values = new ArrayList<>();
      for (double v : series.get(0).getValue()[1]) {
        values.add(v);
      }
      bar.addSeries(series.get(0).getKey(), c.categories(), values);
      chart = bar;
    } else {
      XYChart xy =
          new XYChartBuilder()
              .width(WIDTH)
              .height(HEIGHT)
              .title(c.title())
              .xAxisTitle(c.xLabel())
              .yAxisTitle(c.yLabel())
              .build();
      xy.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
      xy.getStyler().setMarkerSize(series.get(0).getValue()[0].length > 50 ? 0 : 5);
      for (Map.Entry<String, double[][]> e : series) {
        xy.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
      }
      chart = xy;
    }
    return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
  }

  private static String html(
      String command,
      Map<String, Object> machine,
      List<ScenarioResult> results,
      Map<String, byte[]> images) {
    StringBuilder b = new StringBuilder();
    b.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>horae bench</title><style>")
        .append("body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}")
        .append(
            "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left}")
        .append("th{background:#f3f3f3}code{background:#f3f3f3;padding:2px 4px}img{max-width:100%}")
        .append("</style></head><body><h1>horae bench</h1>");
    b.append("<p><code>").append(escape(command)).append("</code></p><table>");
    machine.forEach(
        (k, v) ->
            b.append("<tr><th>")
                .append(escape(k))
                .append("</th><td>")
                .append(escape(String.valueOf(v)))
                .append("</td></tr>"));
    b.append(
        "</table><h2>Summary</h2><table><tr><th>Scenario</th><th>Figure</th><th>Value</th></tr>");
    for (ScenarioResult r : results) {
      r.headline.forEach(
          (label, value) ->
              b.append("<tr><td>")
                  .append(escape(r.name))
                  .append("</td><td>")
                  .append(escape(label))
                  .append("</td><td>")
                  .append(escape(value))
                  .append("</td></tr>"));
    }
    b.append("</table>");
    for (ScenarioResult r : results) {
      b.append("<h2>").append(escape(r.name)).append("</h2>");
      r.notes.forEach(n -> b.append("<p>").append(escape(n)).append("</p>"));
      b.append("<pre>").append(escape(Json.write(r.figures))).append("</pre>");
      for (io.horae.bench.Chart c : r.charts) {
        byte[] png = images.get(c.file());
        if (png != null) {
          b.append("<p><img alt=\"")
              .append(escape(c.title()))
              .append("\" src=\"data:image/png;base64,")
              .append(Base64.getEncoder().encodeToString(png))
              .append("\"></p>");
        }
      }
    }
    return b.append("</body></html>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
