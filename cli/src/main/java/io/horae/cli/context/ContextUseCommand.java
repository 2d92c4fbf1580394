package io.horae.cli.context;

import io.horae.cli.common.ContextFile;
import io.horae.cli.common.GlobalOptions;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code horae context use NAME}: makes NAME the current context. */
@Command(name = "use", description = "Make a context the current one.")
final class ContextUseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The context to use from now on.")
  String name;

  @Override
  public Integer call() throws IOException {
    ContextFile file = GlobalOptions.of(spec).contextFile().use(name);
    file.save();
    spec.commandLine().getOut().println("current context: " + name + " (" + file.path() + ")");
    return 0;
  }
}
