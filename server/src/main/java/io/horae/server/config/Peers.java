package io.horae.server.config;

import java.util.List;
import java.util.Set;

/**
 * The outcome of reading {@code peers.<id>.*} keys.
 *
 * @param valid peers whose three addresses all parsed, sorted by id
 * @param declaredIds every id that appears in a key, valid or not
 */
record Peers(List<PeerConfig> valid, Set<String> declaredIds) {
  Peers {
    valid = List.copyOf(valid);
    declaredIds = Set.copyOf(declaredIds);
  }
}
