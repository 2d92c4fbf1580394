package io.horae.cli.context;

import io.horae.cli.common.ClientSettings;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.common.TokenSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code horae context show}: the settings this command line would use, after flags, environment
 * and context, and where each file is. Shows paths only, never file contents; of a bearer token,
 * only that one is set and where it comes from.
 */
@Command(
    name = "show",
    description =
        "Show the endpoints, TLS settings and credentials in effect (flags, then environment, then context); never a token.")
final class ContextShowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    ClientSettings s = root.settings();
    PrintWriter out = spec.commandLine().getOut();
    out.println("context:    " + s.context().orElse("(none)"));
    out.println("file:       " + root.contextFile().path());
    out.println("endpoints:  " + s.endpoints());
    out.println("transport:  " + (s.plaintext() ? "plaintext" : "tls"));
    out.println("ca:         " + shown(s.ca(), s.plaintext() ? "-" : "(the JDK's trusted roots)"));
    out.println("cert:       " + shown(s.cert(), "(none)"));
    out.println("key:        " + shown(s.key(), "(none)"));
    out.println("token:      " + s.token().map(TokenSource::describe).orElse("(none)"));
    return 0;
  }

  private static String shown(Path p, String otherwise) {
    return p == null ? otherwise : p.toString();
  }
}
