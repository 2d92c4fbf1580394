package io.horae.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code horae completion bash|zsh}: prints a shell completion script of every subcommand and
 * option. One script serves both shells: picocli's bash script runs in zsh through bashcompinit,
 * which the script loads itself.
 */
@Command(
    name = "completion",
    description = {
      "Print a completion script of the horae command for bash or zsh.",
      "Try it: source <(horae completion bash); keep it: horae completion bash > /etc/bash_completion.d/horae",
      "(zsh: source <(horae completion zsh) in ~/.zshrc)."
    })
public final class CompletionCommand implements Callable<Integer> {
  /** The shells the script works in. */
  enum Shell {
    bash,
    zsh
  }

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  @Override
  public Integer call() {
    // The tree of this run may hold only some subcommands (Subcommands): describe the whole one.
    spec.commandLine().getOut().print(AutoComplete.bash("horae", HoraeCommand.wholeTree()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
