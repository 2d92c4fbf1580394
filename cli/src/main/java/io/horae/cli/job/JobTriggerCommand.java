package io.horae.cli.job;

import io.horae.cli.common.GlobalOptions;
import io.horae.cli.exec.ExecView;
import io.horae.client.HoraeClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code horae job trigger NAME}: runs the job once now and prints the execution. */
@Command(
    name = "trigger",
    description =
        "Run a job once now, besides its schedule (id <job>@<now>.m); SKIPPED with the reason while one of its executions runs.")
final class JobTriggerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Job name.")
  String name;

  @Option(
      names = "--request-id",
      paramLabel = "ID",
      description = "Id that makes a repeated run return the first result (default: generated).")
  String requestId;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    try (HoraeClient client = root.newClient()) {
      ExecView.printExecution(
          client.trigger(root.namespace(), name, requestId),
          root.output(),
          spec.commandLine().getOut());
    }
    return 0;
  }
}
