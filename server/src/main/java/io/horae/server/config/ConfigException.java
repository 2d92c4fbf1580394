package io.horae.server.config;

import java.util.List;

/**
 * The configuration is unusable. Every problem found is listed, one per line, each naming the key,
 * the value given and the rule it breaks, e.g. {@code exec.windowMax=0: must be between 1 and
 * 1000000}.
 */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem, Throwable cause) {
    super(problem, cause);
    this.problems = List.of(problem);
  }

  /** The problems, one line each, in the order they were found. */
  public List<String> problems() {
    return problems;
  }
}
