package io.horae.cli.job;

import io.horae.cli.common.GlobalOptions;
import io.horae.client.HoraeClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code horae job resume NAME}: resumes a paused job and prints it. */
@Command(
    name = "resume",
    description = "Resume a paused job; its next occurrence is scheduled from now.")
final class JobResumeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "Job name.")
  String name;

  @Override
  public Integer call() {
    GlobalOptions root = GlobalOptions.of(spec);
    try (HoraeClient client = root.newClient()) {
      JobView.printJob(
          client.resume(root.namespace(), name), root.output(), spec.commandLine().getOut());
    }
    return 0;
  }
}
