package io.horae.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * The training run of the class-data archive that makes client commands start fast
 * (bin/lib/cds.sh): runs a few client commands in this JVM so that the classes they load are
 * archived. Needs no cluster: the call goes to a closed port and fails, after the command tree, the
 * TLS context and the channel were built. Output is thrown away.
 */
public final class ArchiveTraining {
  /** A closed port on loopback: the connection is refused at once. */
  static final String NO_CLUSTER = "127.0.0.1:1";

  private static final List<String[]> RUNS =
      List.of(
          new String[] {"--help"},
          new String[] {"job", "ls", "--help"},
          // The client retries a refused connection until the deadline: keep it short.
          new String[] {
            "--horaeconfig=/nonexistent/horae/config",
            "job",
            "ls",
            "--endpoints",
            NO_CLUSTER,
            "--timeout",
            "300ms"
          });

  private ArchiveTraining() {}

  public static void main(String[] args) {
    for (String[] run : RUNS) {
      HoraeCommand.run(
          new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), run);
    }
    System.exit(0);
  }
}
