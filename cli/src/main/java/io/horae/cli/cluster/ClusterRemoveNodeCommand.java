package io.horae.cli.cluster;

import io.horae.api.v1.MembershipResponse;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code horae cluster remove-node ID}: moves the node's shards to the others, then removes it from
 * the Raft configuration. The node may then be stopped.
 */
@Command(
    name = "remove-node",
    description = "Move a node's shards away, then remove it from the cluster.")
final class ClusterRemoveNodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      converter = NodeIdConverter.class,
      description = "The node to remove.")
  String id;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    MembershipResponse r;
    try (HoraeClient client = root.newClient()) {
      r = client.removeNode(id);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(r, out);
    } else {
      out.printf(
          "removed node %s (%d shards moved); members: %s%n",
          id, r.getShardsMoved(), String.join(", ", r.getVotersList()));
    }
    return 0;
  }
}
