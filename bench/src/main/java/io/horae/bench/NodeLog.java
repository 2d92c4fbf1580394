package io.horae.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The last lines of a node's log file: what the bench shows when a node process exits on its own,
 * so the node's own error is on the screen instead of a readiness wait that never ends.
 */
final class NodeLog {
  /** Enough for a stack trace's head and the lines before it; read from the end, so bounded. */
  static final int TAIL_BYTES_MAX = 16 * 1024;

  private NodeLog() {}

  /** At most {@code lines} last lines of {@code file}; a note instead when it cannot be read. */
  static List<String> tail(Path file, int lines) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, f.length() - TAIL_BYTES_MAX);
      byte[] bytes = new byte[(int) (f.length() - from)];
      f.seek(from);
      f.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
      // The first line of a cut-off read may be a fragment; drop it unless it is all we have.
      List<String> whole = from > 0 && all.size() > 1 ? all.subList(1, all.size()) : all;
      return List.copyOf(whole.subList(Math.max(0, whole.size() - lines), whole.size()));
    } catch (IOException e) {
      return List.of("(no log: " + e.getMessage() + ")");
    }
  }
}
