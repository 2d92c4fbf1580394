package io.horae.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the effective config in file syntax for the start-up log. Every value goes through {@link
 * #mask}, so a secret added later is hidden without touching this code.
 */
final class ConfigDescription {
  static final String MASKED = "****";

  private static final List<String> SECRET_WORDS = List.of("secret", "password", "token");

  private ConfigDescription() {}

  static String render(HoraeConfig config) {
    List<String> lines = new ArrayList<>();
    for (Key<?> key : Keys.ALL) {
      lines.add(line(key.name(), key.formatFrom(config)));
    }
    for (PeerConfig peer : config.peers()) {
      peer.keys().forEach((k, v) -> lines.add(line(k, v)));
    }
    lines.sort(null);
    return String.join("\n", lines);
  }

  /**
   * The value, or {@link #MASKED} when the key's own name (after its last dot) suggests a secret;
   * the section name does not count, so {@code secrets.keyFile} (a path) shows.
   */
  static String mask(String key, String value) {
    String lower = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return SECRET_WORDS.stream().anyMatch(lower::contains) ? MASKED : value;
  }

  private static String line(String key, String value) {
    return key + "=" + mask(key, value);
  }
}
