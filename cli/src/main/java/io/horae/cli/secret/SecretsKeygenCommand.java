package io.horae.cli.secret;

import io.horae.server.secret.ClusterKey;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code horae secrets keygen > cluster.key}: prints a new cluster key file (AES-256) to standard
 * output, for {@code secrets.keyFile}. Give every node of the cluster the same file.
 */
@Command(
    name = "keygen",
    description =
        "Print a new cluster key file for secrets.keyFile (redirect it to a file readable only by Horae).")
final class SecretsKeygenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ClusterKey.generate(new SecureRandom()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
