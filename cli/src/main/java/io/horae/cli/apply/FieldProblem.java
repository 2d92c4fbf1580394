package io.horae.cli.apply;

/**
 * A key or value of a job file that cannot be read: where (a dotted path such as {@code
 * schedule.cron.expression} and the 1-based line, 0 when unknown) and what is wrong. A string
 * value, which may be a secret, is never repeated: only numbers, enums and bytes can be malformed.
 */
final class FieldProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final int line;
  private final String problem;

  FieldProblem(String path, int line, String problem) {
    super((path.isEmpty() ? "" : path + ": ") + problem);
    this.path = path;
    this.line = line;
    this.problem = problem;
  }

  String path() {
    return path;
  }

  int line() {
    return line;
  }

  String problem() {
    return problem;
  }
}
