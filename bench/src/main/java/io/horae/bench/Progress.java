package io.horae.bench;

import java.io.PrintWriter;

/**
 * The live progress line. On a terminal one line is redrawn in place at most 4 times a second;
 * otherwise (CI, a pipe) a plain line is printed at most every 5 s, so logs stay short.
 */
final class Progress {
  private final PrintWriter out;
  private final boolean terminal;
  private final long intervalMs;
  private long lastMs;
  private int lastWidth;

  Progress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.intervalMs = terminal ? 250 : 5_000;
  }

  /**
   * Whether stdout is a terminal: Console.isTerminal() where the JDK has it (22+), else console !=
   * null.
   */
  static boolean stdoutIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /** Shows {@code line} unless the last one was shown less than the interval ago. */
  synchronized void update(String line) {
    long now = System.currentTimeMillis();
    if (now - lastMs < intervalMs) {
      return;
    }
    lastMs = now;
    if (terminal) {
      String padded =
          line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
      out.print("\r" + padded);
      lastWidth = line.length();
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Ends the current line with {@code line}, always shown. */
  synchronized void done(String line) {
    if (terminal) {
      String padded =
          line.length() < lastWidth ? line + " ".repeat(lastWidth - line.length()) : line;
      out.print("\r" + padded + "\n");
    } else {
      out.println(line);
    }
    lastWidth = 0;
    lastMs = 0;
    out.flush();
  }
}
