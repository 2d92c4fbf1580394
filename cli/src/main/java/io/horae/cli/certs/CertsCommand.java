package io.horae.cli.certs;

import picocli.CommandLine.Command;

/** {@code horae certs}: the cluster CA and its certificates; does nothing by itself. */
@Command(
    name = "certs",
    description =
        "Make the cluster CA, node certificates, the admin client certificate and bearer tokens.",
    subcommands = {CertsInitCommand.class, CertsTokenCommand.class})
public final class CertsCommand {}
