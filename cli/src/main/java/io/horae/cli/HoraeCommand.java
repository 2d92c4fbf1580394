package io.horae.cli;

import io.horae.cli.common.ClientSettings;
import io.horae.cli.common.ContextFile;
import io.horae.cli.common.DurationConverter;
import io.horae.cli.common.Invocation;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.YamlCapable;
import io.horae.client.HoraeClient;
import io.horae.client.internal.Transport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code horae} command. Holds the global options, which every subcommand inherits, and the
 * entry points. Exit codes: 0 success, 1 a server or runtime error, 2 a usage error. The
 * subcommands are registered per run, only those a run names ({@link Subcommands}).
 */
@Command(
    name = "horae",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = HoraeCommand.ManifestVersion.class,
    description = "Talk to a Horae job scheduler cluster.")
public final class HoraeCommand implements io.horae.cli.common.GlobalOptions {

  @Spec CommandSpec spec;

  /** The caller's environment, directory and stdin: the process's, or a daemon caller's. */
  private final Invocation invocation;

  @Option(
      names = "--endpoints",
      scope = ScopeType.INHERIT,
      paramLabel = "HOST:PORT[,...]",
      description =
          "Nodes to talk to, comma separated (env HORAE_ENDPOINTS, else the context's, else "
              + HoraeClient.DEFAULT_ENDPOINT
              + ").")
  String endpoints;

  @Option(
      names = "--ca",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "PEM of the cluster CA to trust (env HORAE_CA, else the context's, else the JDK's roots).")
  Path ca;

  @Option(
      names = "--cert",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Client certificate PEM to present (env HORAE_CERT, else the context's).")
  Path cert;

  @Option(
      names = "--key",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "Key of --cert, PKCS#8 PEM (env HORAE_KEY, else the context's).")
  Path key;

  @Option(
      names = "--token-file",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "File holding a bearer token to send (env HORAE_TOKEN_FILE, or the token itself in HORAE_TOKEN, else the context's tokenFile or token);"
              + " a token never goes on the command line.")
  Path tokenFile;

  @Option(
      names = "--plaintext",
      scope = ScopeType.INHERIT,
      description = "No TLS: only for nodes run with tls.enabled=false (env HORAE_PLAINTEXT=true).")
  boolean plaintext;

  @Option(
      names = "--context",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description =
          "Context of the context file to use (env HORAE_CONTEXT, else the file's current one).")
  String context;

  @Option(
      names = "--horaeconfig",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "The context file (env HORAE_CONFIG, else $XDG_CONFIG_HOME/horae/config, else ~/.config/horae/config).")
  Path horaeConfig;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      defaultValue = "table",
      description =
          "Output format: table or json, and yaml for job get and job ls (default ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(
      names = {"-n", "--namespace"},
      scope = ScopeType.INHERIT,
      paramLabel = "NAMESPACE",
      defaultValue = "default",
      description = "Namespace of the jobs (default ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--timeout",
      scope = ScopeType.INHERIT,
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Deadline of each call, failover included, e.g. 500ms, 10s (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of errors.")
  boolean verbose;

  /** Runs {@code horae} and exits the JVM with its exit code. */
  public static void main(String[] args) {
    // Before anything sizes the common pool: `horae server` and `horae dev` run nodes here. Only
    // then, so that client commands do not load server classes.
    if (Subcommands.mayRunNode(args)) {
      io.horae.server.HoraeServer.widenCommonPool();
    }
    System.exit(run(args));
  }

  /** Runs {@code horae} on the standard streams; returns the exit code. */
  static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs {@code horae} with the given streams, which are flushed but not closed. */
  static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, Invocation.ofProcess(), args);
  }

  /**
   * Runs {@code horae} with the given streams and the caller's environment, directory and stdin;
   * returns {@link Invocation.StdinUnavailable#EXIT_CODE} when the command reads a standard input
   * that refuses to be read.
   */
  static int run(PrintWriter out, PrintWriter err, Invocation invocation, String... args) {
    HoraeCommand root = new HoraeCommand(invocation);
    CommandLine commandLine = new CommandLine(root);
    // Before the settings below, which picocli applies to the subcommands already registered.
    Subcommands.register(commandLine, Subcommands.namesFor(args));
    configure(commandLine, root, out, err);
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The whole command tree, every subcommand registered (for horae completion). */
  static CommandLine wholeTree() {
    HoraeCommand root = new HoraeCommand(Invocation.ofProcess());
    CommandLine commandLine = new CommandLine(root);
    Subcommands.register(commandLine, List.copyOf(Subcommands.ALL.keySet()));
    return commandLine;
  }

  /** A root command of a run in this process. */
  HoraeCommand() {
    this(Invocation.ofProcess());
  }

  private HoraeCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  private static void configure(
      CommandLine commandLine, HoraeCommand root, PrintWriter out, PrintWriter err) {
    commandLine
        // A relative path is the caller's: "-" (stdin) stays as it is.
        .registerConverter(Path.class, s -> s.equals("-") ? Path.of(s) : root.invocation.resolve(s))
        .setOut(out)
        .setErr(err)
        .setCaseInsensitiveEnumValuesAllowed(true)
        // "--body @file" is ours: picocli must not expand @file arguments itself.
        .setExpandAtFiles(false)
        .setParameterExceptionHandler(ErrorReporter::usageError)
        .setExecutionStrategy(HoraeCommand::execute)
        .setExecutionExceptionHandler(new ErrorReporter(root));
  }

  /** Runs the chosen subcommand, after the checks that concern every subcommand. */
  private static int execute(ParseResult parseResult) {
    Integer help = CommandLine.executeHelpRequest(parseResult);
    if (help != null) {
      return help;
    }
    List<CommandLine> chosen = parseResult.asCommandLineList();
    CommandLine last = chosen.get(chosen.size() - 1);
    HoraeCommand root = (HoraeCommand) chosen.get(0).getCommand();
    if (root.output == OutputFormat.YAML && !(last.getCommand() instanceof YamlCapable)) {
      throw new ParameterException(
          last, "Invalid value for option '--output': yaml is only for job get and job ls");
    }
    return new CommandLine.RunLast().execute(parseResult);
  }

  /** Returns the root command of the command line that {@code spec} belongs to. */
  public static HoraeCommand of(CommandSpec spec) {
    return (HoraeCommand) spec.root().userObject();
  }

  /**
   * Creates a client for the resolved settings ({@link #settings}) and {@code --timeout}; the
   * caller closes it.
   *
   * @throws ParameterException naming {@code --endpoints} when an endpoint is malformed, or the TLS
   *     options when a file cannot be read
   */
  public HoraeClient newClient() {
    try {
      return settings().builder().deadline(timeout).build();
    } catch (IllegalArgumentException e) {
      String message = e.getMessage() == null ? "" : e.getMessage();
      String option =
          message.contains("bearer token")
              ? "--token-file (or HORAE_TOKEN_FILE, HORAE_TOKEN, the context's token)"
              : message.startsWith(Transport.PREFIX)
                  ? "--ca, --cert, --key or --plaintext"
                  : "'--endpoints'";
      throw new ParameterException(
          spec.commandLine(), "Invalid value for option " + option + ": " + e.getMessage(), e);
    }
  }

  /**
   * The endpoints, TLS settings and token of this run: flags, then environment, then context, then
   * defaults (ClientSettings).
   */
  public ClientSettings settings() {
    ClientSettings.Flags flags =
        new ClientSettings.Flags(endpoints, ca, cert, key, plaintext, context, tokenFile);
    return ClientSettings.resolve(flags, invocation, contextFile());
  }

  /** The context file this run reads and writes (which may not exist). */
  public ContextFile contextFile() {
    return ContextFile.load(invocation.resolve(ContextFile.locate(horaeConfig, invocation.env())));
  }

  @Override
  public Invocation invocation() {
    return invocation;
  }

  /** The endpoints this run talks to (see {@link #settings}). */
  public String endpoints() {
    return settings().endpoints();
  }

  /** Returns {@code --output}. */
  public OutputFormat output() {
    return output;
  }

  /** Returns {@code --namespace}. */
  public String namespace() {
    return namespace;
  }

  /** Returns whether {@code --verbose} was given. */
  public boolean verbose() {
    return verbose;
  }

  /** The version from the jar manifest's Implementation-Version, or "dev" when run from classes. */
  static final class ManifestVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = HoraeCommand.class.getPackage().getImplementationVersion();
      return new String[] {"horae " + (version == null ? "dev" : version)};
    }
  }
}
