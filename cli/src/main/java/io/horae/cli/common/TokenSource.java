package io.horae.cli.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where this run's bearer token comes from: a file, or a value given inline (the environment's
 * {@code HORAE_TOKEN}, a context's {@code token}). It prints as its origin only; the value leaves
 * it through {@link #read} alone, for the client, and no message of it ever holds the value.
 *
 * @param origin what gave it, as a user would write it: {@code --token-file}, {@code
 *     HORAE_TOKEN_FILE}, {@code HORAE_TOKEN}, or {@code context.<name>.tokenFile} or {@code
 *     context.<name>.token} with the context file
 * @param file the file holding the token; null for an inline value
 * @param inline the token itself; null for a file
 */
public record TokenSource(String origin, Path file, String inline) {
  /** A token file holds one token of a few dozen bytes; anything larger is not one. */
  static final long FILE_BYTES_MAX = 4 * 1024;

  public TokenSource {
    Objects.requireNonNull(origin, "origin");
    if ((file == null) == (inline == null)) {
      throw new IllegalArgumentException(
          "a token comes from a file or inline, not both or neither: " + origin);
    }
  }

  static TokenSource file(String origin, Path file) {
    return new TokenSource(origin, file, null);
  }

  static TokenSource inline(String origin, String value) {
    return new TokenSource(origin, null, value);
  }

  /**
   * The token, read now from its file (whitespace around it dropped).
   *
   * @throws ContextException naming the origin and the file when the file is missing, unreadable,
   *     too large or empty; never quoting what the file holds
   */
  public String read() {
    if (inline != null) {
      return inline.strip();
    }
    String text;
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new ContextException(
            origin
                + " names "
                + file
                + ", which is larger than "
                + FILE_BYTES_MAX
                + " bytes: not a token file");
      }
      text = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ContextException(
          origin
              + " names "
              + file
              + ", which cannot be read ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
    if (text.isEmpty()) {
      throw new ContextException(origin + " names " + file + ", which is empty");
    }
    return text;
  }

  /** For {@code context show}: where the token comes from, never the token. */
  public String describe() {
    return file != null
        ? "set, from the file " + file + " (" + origin + ")"
        : "set, inline (" + origin + ")";
  }

  @Override
  public String toString() {
    return describe();
  }
}
