package io.horae.cli.exec;

import io.horae.cli.common.GlobalOptions;
import io.horae.client.HoraeClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code horae exec cancel ID}: cancels an execution and prints it as it stands after the cancel.
 * Repeating it succeeds; cancelling a finished execution fails (exit 1).
 */
@Command(
    name = "cancel",
    description = "Cancel a pending or running execution; prints it after the cancel.")
final class ExecCancelCommand implements Callable<Integer> {
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
          client.executions().cancel(id), root.output(), spec.commandLine().getOut());
    }
    return 0;
  }
}
