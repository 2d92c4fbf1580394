package io.horae.cli;

import io.horae.server.cluster.MiniCluster;
import io.horae.server.tls.ClusterCerts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs {@code horae} in this JVM with captured output, for tests. */
public final class Cli {
  /**
   * A context file that does not exist: runs see no context of the machine's user (horae dev may
   * have written one), unless a test names its own with --horaeconfig.
   */
  static final Path NO_CONTEXTS =
      Path.of(System.getProperty("java.io.tmpdir"), "horae-cli-test-no-such-dir", "config");

  private Cli() {}

  /** What one run printed and returned. */
  public record Result(int exitCode, String out, String err) {}

  public static Result horae(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (all.stream().noneMatch(a -> a.startsWith("--horaeconfig"))) {
      all.add(0, "--horaeconfig=" + NO_CONTEXTS);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        HoraeCommand.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /**
   * Runs {@code horae --endpoints ENDPOINTS --ca <the cluster's CA> --cert/--key <the admin
   * certificate> ARGS...}: as the cluster's admin, since auth is on by default.
   */
  public static Result horaeAt(MiniCluster cluster, String endpoints, String... args) {
    ClusterCerts certs = cluster.certs();
    List<String> all =
        new ArrayList<>(
            List.of(
                "--endpoints",
                endpoints,
                "--ca",
                cluster.caFile().toString(),
                "--cert",
                certs.cert(ClusterCerts.ADMIN).toString(),
                "--key",
                certs.key(ClusterCerts.ADMIN).toString()));
    all.addAll(Arrays.asList(args));
    return horae(all.toArray(String[]::new));
  }
}
