package io.horae.cli.dlq;

import io.horae.cli.common.GlobalOptions;
import io.horae.client.HoraeClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code horae dlq get ID}: prints one dead letter with its attempt history. */
@Command(name = "get", description = "Show a dead letter and its attempts.")
final class DlqGetCommand implements Callable<Integer> {
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
      DlqView.printOne(client.deadLetters().get(id), root.output(), spec.commandLine().getOut());
    }
    return 0;
  }
}
