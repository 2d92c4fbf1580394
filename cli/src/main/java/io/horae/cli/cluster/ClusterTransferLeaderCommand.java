package io.horae.cli.cluster;

import io.horae.api.v1.TransferLeaderResponse;
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
 * {@code horae cluster transfer-leader [ID]}: moves Raft leadership to ID, or to another member.
 */
@Command(
    name = "transfer-leader",
    description = "Move leadership to the given node, or to any other member.")
final class ClusterTransferLeaderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "ID",
      converter = NodeIdConverter.class,
      description = "The member that should lead.")
  String target;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    TransferLeaderResponse r;
    try (HoraeClient client = root.newClient()) {
      r = client.transferLeader(target);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(r, out);
    } else {
      out.printf("leader: %s%n", r.getLeaderId());
    }
    return 0;
  }
}
