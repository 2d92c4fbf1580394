package io.horae.cli.apply;

import java.util.List;

/**
 * What apply does to make the namespaces match the file: creates first, then updates, then deletes
 * (with --prune), and how many jobs of the file already match.
 */
record Plan(List<Change> changes, int unchanged) {
  Plan {
    changes = List.copyOf(changes);
  }

  long count(Change.Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).count();
  }

  boolean isEmpty() {
    return changes.isEmpty();
  }
}
