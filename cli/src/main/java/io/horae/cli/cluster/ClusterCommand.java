package io.horae.cli.cluster;

import picocli.CommandLine.Command;

/** {@code horae cluster}: the group of cluster subcommands; it does nothing by itself. */
@Command(
    name = "cluster",
    description = "Inspect the cluster.",
    subcommands = {ClusterStatusCommand.class})
public final class ClusterCommand {}
