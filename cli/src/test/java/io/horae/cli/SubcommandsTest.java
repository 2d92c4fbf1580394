package io.horae.cli;

import static io.horae.cli.Cli.horae;
import static org.assertj.core.api.Assertions.assertThat;

import io.horae.cli.Cli.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * A run registers only the top-level subcommands it names (the start-up cost of client commands),
 * yet parses and helps exactly as the whole tree would.
 */
class SubcommandsTest {

  @Test
  void eachSubcommandIsKeyedByItsCommandName() {
    for (Map.Entry<String, Class<?>> e : Subcommands.ALL.entrySet()) {
      assertThat(e.getValue().getAnnotation(Command.class).name()).isEqualTo(e.getKey());
    }
  }

  @Test
  void aClientCommandRegistersOnlyTheSubcommandsItNames() {
    assertThat(Subcommands.namesFor("--endpoints", "x:1", "job", "ls")).containsExactly("job");
    assertThat(Subcommands.namesFor("job", "create", "apply", "--url", "http://x"))
        .containsExactly("job", "apply");
  }

  @Test
  void noSubcommandOrATopLevelHelpRegistersThemAll() {
    List<String> all = List.copyOf(Subcommands.ALL.keySet());

    assertThat(Subcommands.namesFor()).isEqualTo(all);
    assertThat(Subcommands.namesFor("--help")).isEqualTo(all);
    assertThat(Subcommands.namesFor("-h", "job")).isEqualTo(all);
    assertThat(Subcommands.namesFor("jbo", "ls")).isEqualTo(all);
  }

  @Test
  void theTopLevelHelpListsEverySubcommand() {
    Result result = horae("--help");

    assertThat(result.exitCode()).isEqualTo(0);
    for (String name : Subcommands.ALL.keySet()) {
      assertThat(result.out()).containsPattern("(?m)^\\s+" + name + "\\s");
    }
  }

  @Test
  void inheritedOptionsWorkOnALazilyRegisteredSubcommand() {
    Result result = horae("job", "ls", "--endpoints=127.0.0.1:1", "--plaintext", "-o", "json");

    assertThat(result.exitCode())
        .as(result.err())
        .isEqualTo(1); // parsed (2 would be a usage error), then the call failed
    assertThat(result.err()).startsWith("horae: ").contains("127.0.0.1:1");
  }
}
