package io.horae.cli.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Reads a secret (e.g. {@code whsec_...}) from a file named by an option, which keeps it out of
 * shell history and process lists. Errors name the option and the file, never the content.
 */
public final class SecretFiles {
  /** A whsec_ secret of 64 bytes is under 100 characters; a bigger file is the wrong one. */
  public static final long FILE_BYTES_MAX = 4096;

  private SecretFiles() {}

  /**
   * @return the file's content without surrounding blanks
   * @throws ParameterException if the file is too big or cannot be read
   */
  public static String read(CommandLine command, String option, Path file) {
    try {
      if (Files.size(file) > FILE_BYTES_MAX) {
        throw new ParameterException(
            command,
            "Invalid value for option '"
                + option
                + "': file '"
                + file
                + "' is larger than "
                + FILE_BYTES_MAX
                + " bytes");
      }
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new ParameterException(
          command,
          "Invalid value for option '"
              + option
              + "': cannot read file '"
              + file
              + "' ("
              + e.getClass().getSimpleName()
              + ")");
    }
  }
}
