package io.horae.server.config;

import java.util.HashMap;
import java.util.Map;

/** The scalar values that parsed and passed their range check; a key that failed is absent. */
final class ParsedValues {
  private final Map<String, Object> byName = new HashMap<>();

  <T> void put(Key<T> key, T value) {
    byName.put(key.name(), value);
  }

  boolean has(Key<?> key) {
    return byName.containsKey(key.name());
  }

  /**
   * @throws IllegalStateException when the key failed to parse; callers check {@link #has} first
   */
  <T> T get(Key<T> key) {
    Object value = byName.get(key.name());
    if (value == null) {
      throw new IllegalStateException("no valid value for " + key.name());
    }
    return key.type().cast(value);
  }
}
