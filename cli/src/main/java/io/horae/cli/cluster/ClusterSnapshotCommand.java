package io.horae.cli.cluster;

import io.horae.api.v1.SnapshotResponse;
import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.JsonOutput;
import io.horae.cli.output.OutputFormat;
import io.horae.client.HoraeClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code horae cluster snapshot [--node ID]}: takes a snapshot now, on the leader by default. */
@Command(name = "snapshot", description = "Take a snapshot now on the leader or on the given node.")
final class ClusterSnapshotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--node",
      paramLabel = "ID",
      converter = NodeIdConverter.class,
      description = "The member that takes it (default: the leader).")
  String node;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    SnapshotResponse r;
    try (HoraeClient client = root.newClient()) {
      r = client.snapshot(node);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (root.output() == OutputFormat.JSON) {
      JsonOutput.print(r, out);
    } else {
      out.printf("snapshot of %s at index %d%n", r.getNodeId(), r.getIndex());
    }
    return 0;
  }
}
