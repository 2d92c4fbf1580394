package io.horae.cli.apply;

import java.io.PrintWriter;

/**
 * Prints a plan, one block per change and the count of unchanged jobs:
 *
 * <pre>
 * create default/report
 * update default/nightly (version 4): schedule
 *   - schedule.cron.expression: 0 3 * * *
 *   + schedule.cron.expression: 0 4 * * *
 * delete default/old
 * unchanged: 3
 * </pre>
 *
 * Names and values come from the file or the server and are printed without control characters.
 */
final class PlanPrinter {
  private PlanPrinter() {}

  static void print(Plan plan, PrintWriter out) {
    for (Change c : plan.changes()) {
      switch (c.kind()) {
        case CREATE -> out.println("create " + clean(c.key()));
        case DELETE -> out.println("delete " + clean(c.key()));
        case UPDATE -> {
          out.println(
              "update "
                  + clean(c.key())
                  + " (version "
                  + c.expectedVersion()
                  + "): "
                  + String.join(", ", c.paths()));
          c.diff().forEach(line -> out.println("  " + clean(line)));
        }
      }
    }
    out.println("unchanged: " + plan.unchanged());
  }

  /** e.g. "1 to create, 2 to update, 0 to delete, 3 unchanged". */
  static String counts(Plan plan, String create, String update, String delete) {
    return plan.count(Change.Kind.CREATE)
        + " "
        + create
        + ", "
        + plan.count(Change.Kind.UPDATE)
        + " "
        + update
        + ", "
        + plan.count(Change.Kind.DELETE)
        + " "
        + delete
        + ", "
        + plan.unchanged()
        + " unchanged";
  }

  static String clean(String text) {
    return text.replaceAll("\\p{Cntrl}", " ");
  }
}
