package io.horae.server.api;

import io.horae.internal.v1.LabelRequirement;
import io.horae.server.errors.Echo;
import io.horae.server.errors.ValidationException;
import io.horae.statemachine.core.schedule.Violation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Job labels and label selectors (Kubernetes style). A key is an optional DNS-style prefix and '/'
 * and a name of 1..63 letters, digits, '-', '_' and '.', starting and ending with a letter or
 * digit; a value is empty or such a name.
 */
final class Labels {
  static final int COUNT_MAX = 32;
  static final int BYTES_MAX = 4 * 1024;
  static final int SELECTOR_CHARS_MAX = 1024;
  static final int REQUIREMENTS_MAX = 32;
  private static final String NAME = "[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?";
  static final Pattern KEY = Pattern.compile("([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?" + NAME);
  static final Pattern VALUE = Pattern.compile("(" + NAME + ")?");

  private Labels() {}

  /**
   * Adds a violation per bad label of {@code field} ("job.labels"); never echoes more than 64
   * characters.
   */
  static void check(List<Violation> v, String field, Map<String, String> labels) {
    if (labels.size() > COUNT_MAX) {
      v.add(
          new Violation(field, "must hold at most " + COUNT_MAX + " labels, not " + labels.size()));
    }
    int bytes = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      bytes +=
          e.getKey().getBytes(StandardCharsets.UTF_8).length
              + e.getValue().getBytes(StandardCharsets.UTF_8).length;
      if (!KEY.matcher(e.getKey()).matches()) {
        v.add(
            new Violation(
                field,
                "key '"
                    + Echo.value(e.getKey())
                    + "' is not a label key: an optional DNS prefix and '/', then 1..63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
      } else if (!VALUE.matcher(e.getValue()).matches()) {
        v.add(
            new Violation(
                field + "[" + Echo.value(e.getKey()) + "]",
                "value '"
                    + Echo.value(e.getValue())
                    + "' is not a label value: empty, or 1..63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
      }
    }
    if (bytes > BYTES_MAX) {
      v.add(
          new Violation(
              field,
              "keys and values must hold at most " + BYTES_MAX + " bytes together, not " + bytes));
    }
  }

  /**
   * Parses "team=pay,env!=dev,tier,!legacy,zone in (a,b),stage notin (x)" into requirements; throws
   * {@link ValidationException} naming {@code label_selector}.
   */
  static List<LabelRequirement> parseSelector(String selector) {
    List<LabelRequirement> out = new ArrayList<>();
    if (selector.isBlank()) {
      return out;
    }
    if (selector.length() > SELECTOR_CHARS_MAX) {
      throw bad("must be at most " + SELECTOR_CHARS_MAX + " characters");
    }
    for (String raw : topLevelItems(selector)) {
      String item = raw.strip();
      LabelRequirement r = requirement(item);
      if (!KEY.matcher(r.getKey()).matches()) {
        throw bad(
            "'"
                + Echo.value(item)
                + "' does not start with a label key (forms: key=value, key!=value, key, !key, key in (v1,v2), key notin (v1,v2))");
      }
      if (!VALUE.matcher(r.getValue()).matches()
          || !r.getValuesList().stream().allMatch(v -> VALUE.matcher(v).matches())) {
        throw bad("'" + Echo.value(item) + "' has a value that is not a label value");
      }
      out.add(r);
    }
    if (out.size() > REQUIREMENTS_MAX) {
      throw bad("must hold at most " + REQUIREMENTS_MAX + " requirements");
    }
    return out;
  }

  private static final Pattern SET = Pattern.compile("(\\S+)\\s+(in|notin)\\s*\\((.*)\\)");

  private static LabelRequirement requirement(String item) {
    LabelRequirement.Builder r = LabelRequirement.newBuilder();
    java.util.regex.Matcher set = SET.matcher(item);
    int ne = item.indexOf("!=");
    int eq = item.indexOf('=');
    if (set.matches()) {
      r.setOp(set.group(2).equals("in") ? LabelRequirement.Op.OP_IN : LabelRequirement.Op.OP_NOT_IN)
          .setKey(set.group(1));
      for (String v : set.group(3).split(",", -1)) {
        r.addValues(v.strip());
      }
      if (set.group(3).isBlank()) {
        throw bad("'" + Echo.value(item) + "' names no value in its parentheses");
      }
    } else if (ne > 0) {
      r.setOp(LabelRequirement.Op.OP_NOT_EQUALS)
          .setKey(item.substring(0, ne).strip())
          .setValue(item.substring(ne + 2).strip());
    } else if (eq > 0) {
      int valueAt = item.startsWith("==", eq) ? eq + 2 : eq + 1;
      r.setOp(LabelRequirement.Op.OP_EQUALS)
          .setKey(item.substring(0, eq).strip())
          .setValue(item.substring(valueAt).strip());
    } else if (item.startsWith("!")) {
      r.setOp(LabelRequirement.Op.OP_NOT_EXISTS).setKey(item.substring(1).strip());
    } else {
      r.setOp(LabelRequirement.Op.OP_EXISTS).setKey(item);
    }
    return r.build();
  }

  /** The selector split at commas outside parentheses; an unbalanced parenthesis is an error. */
  private static List<String> topLevelItems(String selector) {
    List<String> items = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (depth < 0 || depth > 1) {
        throw bad("has unbalanced or nested parentheses");
      }
      if (c == ',' && depth == 0) {
        items.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw bad("has an unclosed parenthesis");
    }
    items.add(selector.substring(start));
    return items;
  }

  private static ValidationException bad(String why) {
    return new ValidationException(List.of(new Violation("label_selector", why)));
  }
}
