package io.horae.cli;

import io.horae.cli.apply.ApplyCommand;
import io.horae.cli.bench.BenchCommand;
import io.horae.cli.certs.CertsCommand;
import io.horae.cli.cluster.ClusterCommand;
import io.horae.cli.context.ContextCommand;
import io.horae.cli.dlq.DlqCommand;
import io.horae.cli.exec.ExecCommand;
import io.horae.cli.job.JobCommand;
import io.horae.cli.node.DevCommand;
import io.horae.cli.node.ServerCommand;
import io.horae.cli.ns.NsCommand;
import io.horae.cli.secret.SecretsCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/**
 * The top-level subcommands of {@code horae}, registered lazily. Picocli builds the model of every
 * registered command by reflection before it parses anything; for the whole tree (some 50 commands,
 * with the node commands pulling server classes in) that was most of a client call's start-up. A
 * run registers only the subcommands whose names appear among its arguments, which parses exactly
 * like the whole tree: at the top level an argument that is a subcommand name is always registered,
 * and below it only that subcommand's own tree matters.
 */
final class Subcommands {
  /**
   * By name, in the order of the help. Each class's {@code @Command(name)} is its key (a test
   * checks).
   */
  static final Map<String, Class<?>> ALL = all();

  /** Subcommands that run nodes: they get the server's common-pool setting. */
  static final Set<String> NODE = Set.of("server", "dev", "bench");

  /** Arguments that print the top-level help or version, which must list every subcommand. */
  private static final Set<String> TOP_LEVEL_REQUESTS = Set.of("-h", "--help", "-V", "--version");

  private Subcommands() {}

  private static Map<String, Class<?>> all() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("job", JobCommand.class);
    m.put("apply", ApplyCommand.class);
    m.put("exec", ExecCommand.class);
    m.put("dlq", DlqCommand.class);
    m.put("ns", NsCommand.class);
    m.put("cluster", ClusterCommand.class);
    m.put("secrets", SecretsCommand.class);
    m.put("certs", CertsCommand.class);
    m.put("context", ContextCommand.class);
    m.put("server", ServerCommand.class);
    m.put("dev", DevCommand.class);
    m.put("bench", BenchCommand.class);
    m.put("completion", CompletionCommand.class);
    return m;
  }

  /**
   * The names to register for {@code args}: every subcommand named among them, or all when none is,
   * when a help or version flag comes before the first, or for {@code completion}, which describes
   * the whole tree.
   */
  static List<String> namesFor(String... args) {
    int first = -1;
    for (int i = 0; i < args.length && first < 0; i++) {
      if (ALL.containsKey(args[i])) {
        first = i;
      }
    }
    if (first < 0 || List.of(args).contains("completion")) {
      return List.copyOf(ALL.keySet());
    }
    for (int i = 0; i < first; i++) {
      if (TOP_LEVEL_REQUESTS.contains(args[i])) {
        return List.copyOf(ALL.keySet());
      }
    }
    List<String> named = List.of(args);
    return ALL.keySet().stream().filter(named::contains).toList();
  }

  /** Adds the named subcommands to {@code commandLine}, in the order of the help. */
  static void register(CommandLine commandLine, List<String> names) {
    for (String name : names) {
      commandLine.addSubcommand(name, ALL.get(name));
    }
  }

  /**
   * Returns whether {@code args} may run a node (horae server, dev or bench). Errs on the side of
   * yes (a job named dev), which costs a client nothing.
   */
  static boolean mayRunNode(String... args) {
    return List.of(args).stream().anyMatch(NODE::contains);
  }
}
