package io.horae.cli.job;

import io.horae.cli.common.GlobalOptions;
import io.horae.cli.output.YamlCapable;
import io.horae.client.HoraeClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code horae job get NAME}: prints one job. */
@Command(name = "get", description = "Show a job; -o yaml prints it as a file for horae apply.")
final class JobGetCommand implements Callable<Integer>, YamlCapable {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Job name.")
  String name;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    try (HoraeClient client = root.newClient()) {
      JobView.printJob(
          client.get(root.namespace(), name), root.output(), spec.commandLine().getOut());
    }
    return 0;
  }
}
