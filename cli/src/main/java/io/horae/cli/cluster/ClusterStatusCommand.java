package io.horae.cli.cluster;

import io.horae.api.v1.ClusterStatus;
import io.horae.api.v1.NodeStatus;
import io.horae.cli.HoraeCommand;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.cli.output.TablePrinter;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code horae cluster status}: the leader, term and shard epoch, then one row per node as the
 * answering node sees it. Unreachable nodes show their error in the last column.
 */
@Command(name = "status", description = "Show the leader, the nodes and the shard map epoch.")
final class ClusterStatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    HoraeCommand root = HoraeCommand.of(spec);
    ClusterStatus status;
    try (HoraeClient client = root.newClient()) {
      status = client.clusterStatus();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(status, out);
      return 0;
    }
    out.printf(
        "leader: %s  term: %d  shard epoch: %d  shards: %d  answered by: %s%n",
        orDash(status.getLeaderId()),
        status.getTerm(),
        status.getShardEpoch(),
        status.getShardCount(),
        orDash(status.getAnsweredBy()));
    boolean anyError = status.getNodesList().stream().anyMatch(n -> !n.getError().isEmpty());
    TablePrinter table =
        anyError
            ? new TablePrinter(
                "ID", "ROLE", "TERM", "COMMIT", "APPLIED", "SHARDS", "API ADDRESS", "ERROR")
            : new TablePrinter("ID", "ROLE", "TERM", "COMMIT", "APPLIED", "SHARDS", "API ADDRESS");
    for (NodeStatus node : status.getNodesList()) {
      Object[] cells = {
        node.getId(),
        orDash(node.getRole()),
        node.getTerm(),
        node.getCommitIndex(),
        node.getAppliedIndex(),
        node.getShardsOwned(),
        orDash(node.getApiAddress()),
        orDash(node.getError())
      };
      table.row(anyError ? cells : java.util.Arrays.copyOf(cells, cells.length - 1));
    }
    table.print(out);
    return 0;
  }

  private static String orDash(String text) {
    return text.isEmpty() ? "-" : text;
  }
}
