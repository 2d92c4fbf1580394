package io.horae.cli.secret;

import io.horae.api.v1.ListSigningSecretsResponse;
import io.horae.api.v1.SigningSecretInfo;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code horae secrets ls [--job NAME]}: the signing secrets of the namespace or a job. */
@Command(
    name = "ls",
    description =
        "List the signing secrets of the namespace or a job: fingerprints and times, never values.")
final class SecretsListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--job",
      paramLabel = "NAME",
      description = "A job's own secrets instead of the namespace's.")
  String job = "";

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    List<SigningSecretInfo> secrets;
    try (HoraeClient client = root.newClient()) {
      secrets = client.secrets().list(root.namespace(), job);
    }
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(
          ListSigningSecretsResponse.newBuilder().addAllSecrets(secrets).build(),
          spec.commandLine().getOut());
    } else {
      SecretsView.printTable(secrets, spec.commandLine().getOut());
    }
    return 0;
  }
}
