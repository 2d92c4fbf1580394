package io.horae.cli.secret;

import picocli.CommandLine.Command;

/** {@code horae secrets}: webhook signing secrets and the cluster key; does nothing by itself. */
@Command(
    name = "secrets",
    description = "Rotate and list webhook signing secrets; make a cluster key file.",
    subcommands = {
      SecretsRotateCommand.class,
      SecretsListCommand.class,
      SecretsKeygenCommand.class
    })
public final class SecretsCommand {}
