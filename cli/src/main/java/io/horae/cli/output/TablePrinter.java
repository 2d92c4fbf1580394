package io.horae.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prints rows as left-aligned columns separated by two spaces, headers first. Cells are cleaned of
 * control characters, so server-provided text cannot break the layout or drive the terminal. Not
 * thread-safe.
 */
public final class TablePrinter {
  private static final String GAP = "  ";

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  public TablePrinter(String... headers) {
    this.headers = List.of(headers);
  }

  /**
   * Adds a row; cells are converted with {@link String#valueOf}.
   *
   * @throws IllegalArgumentException when the cell count differs from the header count
   */
  public TablePrinter row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "row has " + cells.length + " cells for " + headers.size() + " columns");
    }
    rows.add(Arrays.stream(cells).map(c -> clean(String.valueOf(c))).toList());
    return this;
  }

  /** Prints the headers and the rows added so far. */
  public void print(PrintWriter out) {
    int[] widths = new int[headers.size()];
    for (List<String> row : allRows()) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    for (List<String> row : allRows()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length())).append(GAP);
        }
      }
      out.println(line.toString().stripTrailing());
    }
  }

  private List<List<String>> allRows() {
    List<List<String>> all = new ArrayList<>(rows.size() + 1);
    all.add(headers);
    all.addAll(rows);
    return all;
  }

  private static String clean(String text) {
    return text.replaceAll("\\p{Cntrl}", " ");
  }
}
