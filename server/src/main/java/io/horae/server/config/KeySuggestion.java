package io.horae.server.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known key an unknown one was probably meant to be: a typo or a case slip. */
final class KeySuggestion {
  /** Two edits catch a swapped or missing letter without suggesting unrelated keys. */
  static final int DISTANCE_MAX = 2;

  private KeySuggestion() {}

  static Optional<String> closest(String unknown, Collection<String> known) {
    String u = unknown.toLowerCase(Locale.ROOT);
    return known.stream()
        .filter(k -> distance(u, k.toLowerCase(Locale.ROOT)) <= DISTANCE_MAX)
        .min(
            Comparator.comparingInt((String k) -> distance(u, k.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
  }

  /** Levenshtein distance; keys are short, so the quadratic table is fine. */
  static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
