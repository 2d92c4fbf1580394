package io.horae.cli.output;

/**
 * Removes the parts of a URL that commonly hold secrets before it is printed: the query string
 * (tokens, signatures), the fragment and user info ({@code user:password@}).
 */
public final class Redaction {
  private Redaction() {}

  /** Returns {@code url} without query, fragment and user info; other text is kept as it is. */
  public static String url(String url) {
    String text = url;
    int cut = indexOfAny(text, '?', '#');
    if (cut >= 0) {
      text = text.substring(0, cut);
    }
    int scheme = text.indexOf("://");
    if (scheme >= 0) {
      int authorityStart = scheme + 3;
      int authorityEnd = text.indexOf('/', authorityStart);
      String authority =
          authorityEnd < 0
              ? text.substring(authorityStart)
              : text.substring(authorityStart, authorityEnd);
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        text = text.substring(0, authorityStart) + text.substring(authorityStart + at + 1);
      }
    }
    return text;
  }

  private static int indexOfAny(String text, char a, char b) {
    int i = text.indexOf(a);
    int j = text.indexOf(b);
    return i < 0 ? j : j < 0 ? i : Math.min(i, j);
  }
}
