package io.horae.server.auth;

import java.util.regex.Pattern;

/**
 * One role on the namespaces a pattern names: {@code writer:team-a}, {@code reader:team-*}, {@code
 * secrets:*}, or {@code cluster-admin} (no namespace). A pattern is a namespace name in which
 * {@code *} stands for any run of characters; nothing else is special.
 */
public record Grant(Role role, String namespacePattern) {
  /** Namespace names (as the API accepts them) with {@code *} allowed. */
  private static final Pattern PATTERN = Pattern.compile("[A-Za-z0-9._*-]{1,64}");

  public Grant {
    if (role.perNamespace() != !namespacePattern.isEmpty()) {
      throw new IllegalArgumentException(
          role.perNamespace()
              ? "role "
                  + role.wireName()
                  + " needs a namespace pattern ("
                  + role.wireName()
                  + ":<pattern>)"
              : "role " + role.wireName() + " takes no namespace");
    }
    if (role.perNamespace() && !PATTERN.matcher(namespacePattern).matches()) {
      throw new IllegalArgumentException(
          "namespace pattern '"
              + namespacePattern
              + "' may hold only letters, digits, '.', '_', '-' and '*' (1-64)");
    }
  }

  /** Parses {@code role[:pattern]}; the message of the exception says what is wrong. */
  public static Grant parse(String text) {
    int colon = text.indexOf(':');
    String roleName = colon < 0 ? text : text.substring(0, colon);
    Role role =
        Role.named(roleName)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown role '"
                            + roleName
                            + "' (reader, writer, secrets, cluster-admin)"));
    return new Grant(role, colon < 0 ? "" : text.substring(colon + 1));
  }

  /** Whether this grant gives {@code wanted} on {@code namespace} (ignored for cluster roles). */
  public boolean allows(Role wanted, String namespace) {
    if (!role.grants(wanted)) {
      return false;
    }
    return !role.perNamespace() || matches(namespacePattern, namespace);
  }

  /** Glob match where {@code *} is any run of characters (iterative, linear in practice). */
  static boolean matches(String pattern, String name) {
    int p = 0;
    int n = 0;
    int star = -1;
    int resume = 0;
    while (n < name.length()) {
      if (p < pattern.length() && pattern.charAt(p) == name.charAt(n) && pattern.charAt(p) != '*') {
        p++;
        n++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = n;
      } else if (star >= 0) {
        p = star + 1;
        n = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  @Override
  public String toString() {
    return role.perNamespace() ? role.wireName() + ":" + namespacePattern : role.wireName();
  }
}
