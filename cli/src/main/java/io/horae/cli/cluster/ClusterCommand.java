package io.horae.cli.cluster;

import picocli.CommandLine.Command;

/** {@code horae cluster}: the group of cluster subcommands; it does nothing by itself. */
@Command(
    name = "cluster",
    description = "Inspect and operate the cluster.",
    subcommands = {
      ClusterStatusCommand.class,
      ClusterAddNodeCommand.class,
      ClusterRemoveNodeCommand.class,
      ClusterTransferLeaderCommand.class,
      ClusterSnapshotCommand.class
    })
public final class ClusterCommand {}
