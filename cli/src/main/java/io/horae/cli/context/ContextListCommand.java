package io.horae.cli.context;

import io.horae.cli.common.Context;
import io.horae.cli.common.ContextFile;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.TablePrinter;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code horae context ls}: every context, the current one marked with {@code *}. */
@Command(
    name = "ls",
    description =
        "List the contexts and the kind of credential each presents; * marks the current one.")
final class ContextListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ContextFile file = GlobalOptions.of(spec).contextFile();
    PrintWriter out = spec.commandLine().getOut();
    if (file.contexts().isEmpty()) {
      out.println("no contexts in " + file.path() + " (horae dev writes one)");
      return 0;
    }
    TablePrinter table =
        new TablePrinter("CURRENT", "NAME", "ENDPOINTS", "TRANSPORT", "CREDENTIAL");
    file.contexts().values().stream()
        .sorted(Comparator.comparing(Context::name))
        .forEach(
            c ->
                table.row(
                    file.current().filter(c.name()::equals).isPresent() ? "*" : "",
                    c.name(),
                    c.endpoints() == null ? "" : c.endpoints(),
                    Boolean.TRUE.equals(c.plaintext()) ? "plaintext" : "tls",
                    credential(c)));
    table.print(out);
    return 0;
  }

  /** What the context presents, by kind only: never a token or a path. */
  private static String credential(Context c) {
    String cert = c.cert() != null ? "certificate" : "";
    String token = c.tokenFile() != null ? "token file" : c.token() != null ? "token" : "";
    return cert.isEmpty() && token.isEmpty()
        ? "-"
        : cert.isEmpty() || token.isEmpty() ? cert + token : cert + ", " + token;
  }
}
