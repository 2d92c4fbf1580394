package io.horae.cli.exec;

import io.horae.cli.common.GlobalOptions;
import io.horae.client.HoraeClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code horae exec get ID}: prints one execution. */
@Command(
    name = "get",
    description = "Show an execution: status, attempts, owner node and epoch, last result.")
final class ExecGetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "Execution id, <namespace>/<job>@<scheduled millis>.")
  String id;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    try (HoraeClient client = root.newClient()) {
      ExecView.printExecution(
          client.executions().get(id), root.output(), spec.commandLine().getOut());
    }
    return 0;
  }
}
