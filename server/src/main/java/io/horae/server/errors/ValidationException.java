package io.horae.server.errors;

import io.horae.statemachine.core.schedule.Violation;
import java.util.List;

/** Bad input: the request is refused as a whole and nothing is written. */
public final class ValidationException extends RuntimeException {
  private final List<Violation> violations;

  public ValidationException(List<Violation> violations) {
    super(summary(violations));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }

  private static String summary(List<Violation> violations) {
    StringBuilder b = new StringBuilder("invalid request: ");
    for (int i = 0; i < violations.size(); i++) {
      if (i > 0) {
        b.append("; ");
      }
      b.append(violations.get(i).field()).append(": ").append(violations.get(i).description());
    }
    return b.toString();
  }
}
