package io.horae.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TablePrinterTest {

  private static String print(TablePrinter table) {
    StringWriter out = new StringWriter();
    try (PrintWriter writer = new PrintWriter(out)) {
      table.print(writer);
    }
    return out.toString();
  }

  @Test
  void alignsColumnsToTheWidestCellWithoutTrailingBlanks() {
    TablePrinter table =
        new TablePrinter("NAME", "FIRES", "URL")
            .row("a-long-name", 3, "http://x")
            .row("b", 12345, "");

    assertThat(print(table).lines())
        .containsExactly(
            "NAME         FIRES  URL", "a-long-name  3      http://x", "b            12345");
  }

  @Test
  void replacesControlCharactersInCells() {
    TablePrinter table = new TablePrinter("A").row("x\ny\u001b[31m");

    assertThat(print(table).lines()).containsExactly("A", "x y [31m");
  }

  @Test
  void rejectsARowWithTheWrongNumberOfCells() {
    assertThatThrownBy(() -> new TablePrinter("A", "B").row("only one"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
