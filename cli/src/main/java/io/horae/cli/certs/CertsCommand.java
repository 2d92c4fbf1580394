package io.horae.cli.certs;

import picocli.CommandLine.Command;

/** {@code horae certs}: the cluster CA and its certificates; does nothing by itself. */
@Command(
    name = "certs",
    description = "Make the cluster CA, node certificates and the admin client certificate.",
    subcommands = {CertsInitCommand.class})
public final class CertsCommand {}
