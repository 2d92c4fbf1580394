package io.horae.cli;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.cli.Cli.Result;
import org.junit.jupiter.api.Test;

/**
 * {@code horae completion bash|zsh} prints picocli's completion script of the whole command tree,
 * although a run registers only the subcommands it names (Subcommands).
 */
class CompletionCommandTest {

  @Test
  void theBashScriptCompletesEverySubcommand() {
    Result result = horae("completion", "bash");

    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.err()).isEmpty();
    assertThat(result.out()).containsPattern("(?m)^complete -F _complete_horae .*\\bhorae\\b");
    for (String name : Subcommands.ALL.keySet()) {
      assertThat(result.out())
          .as(name)
          .containsPattern("(?m)^  local commands=\"[^\"]*\\b" + name + "\\b");
    }
    assertThat(result.out()).contains("ls").contains("--selector");
  }

  @Test
  void theZshScriptLoadsBashcompinit() {
    Result result = horae("completion", "zsh");

    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.out()).contains("bashcompinit").contains("complete -F _complete_horae");
  }

  @Test
  void anUnknownShellIsAUsageError() {
    Result result = horae("completion", "fish");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("fish");
  }
}
