package io.horae.cli.common;

import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options every `horae` command shares (endpoints, TLS, token, namespace, output, timeout), as
 * the root command parsed them. Subcommands reach them with {@link #of} instead of naming the root
 * command's class, so the root depends on the subcommand packages and not the other way round.
 */
public interface GlobalOptions {
  /** The root command of the command line that {@code spec} belongs to. */
  static GlobalOptions of(CommandSpec spec) {
    return (GlobalOptions) spec.root().userObject();
  }

  /** A client for {@link #settings} and {@code --timeout}; the caller closes it. */
  HoraeClient newClient();

  /**
   * The endpoints, TLS settings and token of this run: flags, then environment, then context, then
   * defaults.
   */
  ClientSettings settings();

  /** The context file this run reads and writes (which may not exist). */
  ContextFile contextFile();

  /** The endpoints this run talks to. */
  String endpoints();

  /** {@code --output}. */
  OutputFormat output();

  /** {@code --namespace}. */
  String namespace();

  /** Whether {@code --verbose} was given. */
  boolean verbose();

  /** The caller's environment, working directory and standard input. */
  Invocation invocation();
}
