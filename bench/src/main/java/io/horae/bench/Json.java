package io.horae.bench;

import java.util.Collection;
import java.util.Map;

/** A small JSON writer for the report: maps, collections, arrays of doubles, numbers, strings. */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder b = new StringBuilder();
    write(b, value, 0);
    return b.append('\n').toString();
  }

  private static void write(StringBuilder b, Object v, int depth) {
    switch (v) {
      case null -> b.append("null");
      case Map<?, ?> m -> {
        b.append('{');
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          b.append(i++ == 0 ? "" : ",").append('\n').append("  ".repeat(depth + 1));
          string(b, String.valueOf(e.getKey()));
          b.append(": ");
          write(b, e.getValue(), depth + 1);
        }
        b.append(m.isEmpty() ? "" : "\n" + "  ".repeat(depth)).append('}');
      }
      case Collection<?> c -> {
        b.append('[');
        int i = 0;
        for (Object o : c) {
          b.append(i++ == 0 ? "" : ", ");
          write(b, o, depth + 1);
        }
        b.append(']');
      }
      case double[] a -> {
        b.append('[');
        for (int i = 0; i < a.length; i++) {
          b.append(i == 0 ? "" : ", ");
          number(b, a[i]);
        }
        b.append(']');
      }
      case Double d -> number(b, d);
      case Float f -> number(b, f);
      case Number n -> b.append(n);
      case Boolean bool -> b.append(bool);
      default -> string(b, v.toString());
    }
  }

  private static void number(StringBuilder b, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      b.append("null");
    } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      b.append((long) d);
    } else {
      b.append(d);
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
