package io.horae.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Properties that remember keys loaded twice. {@link Properties#load} stores each pair through
 * {@link #put}, and would otherwise let the last value win silently.
 */
final class DuplicateTrackingProperties extends Properties {
  // Guarded by this, like the rest of Properties' mutators.
  private final List<String> duplicates = new ArrayList<>();

  @Override
  public synchronized Object put(Object key, Object value) {
    Object previous = super.put(key, value);
    if (previous != null) {
      duplicates.add(key + ": set more than once (" + previous + ", then " + value + ")");
    }
    return previous;
  }

  synchronized List<String> duplicates() {
    return List.copyOf(duplicates);
  }
}
