package io.horae.server.errors;

import java.nio.charset.StandardCharsets;

/**
 * Puts caller input into error text. A status message or field violation that repeats what the
 * caller sent is capped, so a request cannot make the server answer (or log) megabytes, and control
 * characters are escaped, so an echoed value cannot forge a line in a terminal or a log. Every
 * place that echoes input into an error goes through here (docs/security.md).
 */
public final class Echo {
  /** Most characters of one echoed value shown before the cut. */
  public static final int VALUE_CHARS_MAX = 128;

  /**
   * Most characters of a whole status message or violation description. A backstop for text built
   * where {@link #value} is not used (the state machine's reject messages and schedule checks).
   */
  public static final int MESSAGE_CHARS_MAX = 1024;

  private Echo() {}

  /** {@code value} as it may appear in an error: at most {@link #VALUE_CHARS_MAX} characters. */
  public static String value(String value) {
    return capped(value, VALUE_CHARS_MAX);
  }

  /** A whole message or description, capped at {@link #MESSAGE_CHARS_MAX} characters. */
  public static String message(String message) {
    return capped(message, MESSAGE_CHARS_MAX);
  }

  /**
   * The first {@code charsMax} characters of {@code text} (control characters escaped as {@code
   * \\uXXXX}, each counted as one), then, if anything was cut, "…(N more bytes)" with N the UTF-8
   * size of the rest. A surrogate pair is never split.
   */
  public static String capped(String text, int charsMax) {
    if (text == null) {
      return "null";
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), charsMax) + 24);
    int shown = 0;
    int i = 0;
    while (i < text.length() && shown < charsMax) {
      int cp = text.codePointAt(i);
      if (Character.isISOControl(cp)) {
        b.append(String.format("\\u%04x", cp));
      } else {
        b.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
      shown++;
    }
    if (i < text.length()) {
      int rest = text.substring(i).getBytes(StandardCharsets.UTF_8).length;
      b.append("…(").append(rest).append(" more bytes)");
    }
    return b.toString();
  }
}
