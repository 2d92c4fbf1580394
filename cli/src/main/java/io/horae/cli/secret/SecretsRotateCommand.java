package io.horae.cli.secret;

import io.horae.api.v1.RotateSigningSecretRequest;
import io.horae.api.v1.RotateSigningSecretResponse;
import io.horae.cli.common.DurationConverter;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.common.SecretFiles;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code horae secrets rotate [--job NAME] [--secret-file FILE] [--overlap 24h]}: makes a new
 * signing secret current. Without a secret the server generates one, and this prints it once,
 * labelled; it is never shown again.
 */
@Command(
    name = "rotate",
    description =
        "Make a new signing secret current; the previous one keeps signing until the overlap ends.")
final class SecretsRotateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--job",
      paramLabel = "NAME",
      description = "Rotate a job's own secrets instead of the namespace's.")
  String job = "";

  @Option(
      names = "--secret-file",
      paramLabel = "FILE",
      description =
          "Read the new secret (whsec_...) from this file; without it the server generates one and it is printed once.")
  Path secretFile;

  @Option(
      names = "--overlap",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How long the previous secret keeps signing (default: the cluster's secrets.rotationOverlap); 0s stops it now.")
  Duration overlap;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    RotateSigningSecretRequest.Builder request =
        RotateSigningSecretRequest.newBuilder().setNamespace(root.namespace()).setJobName(job);
    if (secretFile != null) {
      request.setNewSecret(SecretFiles.read(spec.commandLine(), "--secret-file", secretFile));
    }
    if (overlap != null) {
      // 0 on the wire means "the cluster's default"; an explicit 0s means "stop now".
      request.setOverlapMs(overlap.isZero() ? -1 : overlap.toMillis());
    }
    RotateSigningSecretResponse r;
    try (HoraeClient client = root.newClient()) {
      r = client.secrets().rotate(request.build());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(r, out);
      return 0;
    }
    if (!r.getGeneratedSecret().isEmpty()) {
      out.println("generated signing secret (shown only this once; give it to the receiver now):");
      out.println("  " + r.getGeneratedSecret());
    }
    SecretsView.printTable(r.getSecretsList(), out);
    return 0;
  }
}
