package io.horae.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The lines of the node logs of a failed run that say what went wrong at the Raft level (errors,
 * stuck followers, hand-overs, snapshots), so that a failure in CI, where only the test's output is
 * kept, can be diagnosed. Bounded: the last {@link #LINES_PER_NODE} per node, each cut short.
 */
final class NodeLogs {
  static final int LINES_PER_NODE = 20;
  static final int LINE_CHARS_MAX = 300;
  private static final Pattern NOTABLE =
      Pattern.compile(
          " ERROR |Throwable|made no progress|hand-over|draining nodes|snapshot (installed|taken)|INCONSISTENCY|Lost leadership|changeToLeader|changeToCandidate|node started|is committed but ends at|moving shards|hand-offs of|giving up|leading: ");

  private NodeLogs() {}

  /** The notable lines of every {@code <id>.log} under {@code dir}, grouped by node. */
  static String excerpt(Path dir) {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> logs = Files.list(dir)) {
      for (Path log :
          logs.filter(p -> p.getFileName().toString().matches("n\\d+\\.log")).sorted().toList()) {
        out.append("--- ").append(log.getFileName()).append(" (last notable lines)\n");
        last(log)
            .forEach(
                l ->
                    out.append(
                            l.length() > LINE_CHARS_MAX
                                ? l.substring(0, LINE_CHARS_MAX) + "..."
                                : l)
                        .append('\n'));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static List<String> last(Path log) throws IOException {
    Deque<String> kept = new ArrayDeque<>();
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      lines
          .filter(l -> NOTABLE.matcher(l).find())
          .forEach(
              l -> {
                kept.addLast(l);
                if (kept.size() > LINES_PER_NODE) {
                  kept.removeFirst();
                }
              });
    }
    return List.copyOf(kept);
  }
}
