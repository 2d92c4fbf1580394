package io.horae.bench;

import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads a node's Prometheus text from its admin {@code /metrics}. */
final class Metrics {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private Metrics() {}

  /** The node's /metrics text, or null when it does not answer. */
  static String scrape(AdminHttp http, String adminUrl) {
    return scrape(http, adminUrl, java.util.List.of());
  }

  /**
   * The node's /metrics text of the named metric families only (all of them when none is named), or
   * null when it does not answer. A node renders only what is asked for: a whole scrape once a
   * second cost each node 2-3 % of its CPU in a burst.
   */
  static String scrape(AdminHttp http, String adminUrl, java.util.List<String> families) {
    StringBuilder url = new StringBuilder(adminUrl).append("/metrics");
    for (int i = 0; i < families.size(); i++) {
      url.append(i == 0 ? '?' : '&').append("name%5B%5D=").append(families.get(i));
    }
    HttpResponse<String> response =
        http.get(url.toString(), TIMEOUT, HttpResponse.BodyHandlers.ofString());
    return response != null && response.statusCode() == 200 ? response.body() : null;
  }

  /**
   * The sum over every series of {@code name} whose labels contain {@code labelPart} (empty: all of
   * them); NaN when there is no such series or no text.
   */
  static double sum(String prometheusText, String name, String labelPart) {
    if (prometheusText == null) {
      return Double.NaN;
    }
    double total = 0;
    boolean seen = false;
    for (String line : prometheusText.split("\n")) {
      if (line.startsWith(name)
          && line.length() > name.length()
          && (line.charAt(name.length()) == '{' || line.charAt(name.length()) == ' ')
          && line.contains(labelPart)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        seen = true;
      }
    }
    return seen ? total : Double.NaN;
  }
}
