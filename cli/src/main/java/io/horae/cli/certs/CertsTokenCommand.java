package io.horae.cli.certs;

import io.horae.server.auth.Grant;
import io.horae.server.auth.TokenFile;
import io.horae.server.tls.ClusterCerts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code horae certs token --dir D --name ci --grant writer:team-a,reader:*}: a new bearer token,
 * printed once, and its hash appended to the token file (nodes reread it when it changes). The
 * token itself is stored nowhere.
 */
@Command(
    name = "token",
    description =
        "Make a bearer token for a principal with grants: printed once, its hash appended to DIR/tokens.")
final class CertsTokenCommand implements Callable<Integer> {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description =
          "Directory of horae certs init (its tokens file is the nodes' auth.accessFile).")
  Path dir;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "PRINCIPAL",
      description = "Who the token is for: letters, digits, '.', '_', '@', '-' (1-64).")
  String name;

  @Option(
      names = "--grant",
      required = true,
      split = ",",
      paramLabel = "ROLE[:NAMESPACES]",
      description =
          "reader:<ns>, writer:<ns>, secrets:<ns> (namespace patterns may use *) or cluster-admin; repeatable or comma-separated.")
  List<String> grants;

  @Override
  public Integer call() throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new ParameterException(
          spec.commandLine(),
          "--name must be 1-64 of letters, digits, '.', '_', '@', '-', got " + name);
    }
    List<Grant> parsed = new ArrayList<>();
    for (String g : grants) {
      try {
        parsed.add(Grant.parse(g));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--grant " + g + ": " + e.getMessage());
      }
    }
    Path file = new ClusterCerts(dir).accessFile();
    if (!Files.exists(file)) {
      throw new ParameterException(
          spec.commandLine(),
          "--dir " + dir + " has no tokens file; run horae certs init --dir " + dir + " first");
    }
    String token = TokenFile.newToken(new SecureRandom());
    String existing = Files.readString(file, StandardCharsets.UTF_8);
    String line =
        (existing.isEmpty() || existing.endsWith("\n") ? "" : "\n")
            + TokenFile.line(name, token, parsed)
            + "\n";
    TokenFile.parse(existing + line); // Refuses what the nodes would refuse, before writing.
    Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    spec.commandLine().getOut().println(token);
    spec.commandLine()
        .getErr()
        .println(
            "added "
                + name
                + " ("
                + String.join(",", grants)
                + ") to "
                + file
                + "; the token above is shown only now");
    return 0;
  }
}
