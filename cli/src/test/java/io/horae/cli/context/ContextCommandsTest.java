package io.horae.cli.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI contexts, kubectl style: the file's format and place, {@code horae context ls|use|show},
 * and the order in which flags, environment and context decide each setting. No cluster: these
 * are about what the CLI would use, not about calls.
 */
class ContextCommandsTest {
  @TempDir Path tmp;

  private Path fileWithTwoContexts() throws Exception {
    Path file = tmp.resolve("config");
    ContextFile.load(file)
        .with(new Context("dev", "127.0.0.1:7070", tmp.resolve("ca.pem"), tmp.resolve("admin.pem"), tmp.resolve("admin-key.pem"), null))
        .with(new Context("lab", "lab1:7070,lab2:7070", null, null, null, true))
        .use("dev")
        .save();
    return file;
  }

  @Test
  void lsListsEveryContextAndMarksTheCurrentOne() throws Exception {
    Path file = fileWithTwoContexts();

    Cli.Result r = Cli.horae("--horaeconfig", file.toString(), "context", "ls");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("\\*\\s+dev\\s+127.0.0.1:7070\\s+tls").containsPattern("\\s+lab\\s+lab1:7070,lab2:7070\\s+plaintext");
  }

  @Test
  void useSwitchesTheCurrentContextAndShowPrintsItsSettings() throws Exception {
    Path file = fileWithTwoContexts();

    assertThat(Cli.horae("--horaeconfig", file.toString(), "context", "use", "lab").exitCode()).isZero();
    Cli.Result show = Cli.horae("--horaeconfig", file.toString(), "context", "show");

    assertThat(show.out()).contains("context:    lab").contains("endpoints:  lab1:7070,lab2:7070").contains("transport:  plaintext");
    assertThat(ContextFile.load(file).current()).contains("lab");
  }

  @Test
  void theContextFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = fileWithTwoContexts();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void flagsBeatTheEnvironmentWhichBeatsTheContextWhichBeatsTheDefault() throws Exception {
    ContextFile file = ContextFile.load(fileWithTwoContexts());
    ClientSettings.Flags none = new ClientSettings.Flags(null, null, null, null, false, null);

    assertThat(ClientSettings.resolve(none, Map.of(), file).endpoints()).isEqualTo("127.0.0.1:7070");
    assertThat(ClientSettings.resolve(none, Map.of("HORAE_ENDPOINTS", "env:1"), file).endpoints()).isEqualTo("env:1");
    ClientSettings.Flags flag = new ClientSettings.Flags("flag:1", null, null, null, false, null);
    assertThat(ClientSettings.resolve(flag, Map.of("HORAE_ENDPOINTS", "env:1"), file).endpoints()).isEqualTo("flag:1");
    assertThat(ClientSettings.resolve(none, Map.of(), ContextFile.load(tmp.resolve("none"))).endpoints()).isEqualTo("localhost:7070");
    assertThat(ClientSettings.resolve(none, Map.of("HORAE_CONTEXT", "lab"), file).plaintext()).isTrue();
    ClientSettings.Flags otherCa = new ClientSettings.Flags(null, tmp.resolve("other.pem"), null, null, false, null);
    assertThat(ClientSettings.resolve(otherCa, Map.of(), file).ca()).isEqualTo(tmp.resolve("other.pem"));
  }

  @Test
  void askingForPlaintextDropsTheContextsTlsFiles() throws Exception {
    ContextFile file = ContextFile.load(fileWithTwoContexts());

    ClientSettings s = ClientSettings.resolve(new ClientSettings.Flags(null, null, null, null, true, null), Map.of(), file);

    assertThat(s.plaintext()).isTrue();
    assertThat(s.ca()).isNull();
    assertThat(s.cert()).isNull();
  }

  @Test
  void anUnknownContextOrKeyIsNamedAndTheTokenKeyIsReserved() throws Exception {
    Path file = fileWithTwoContexts();

    Cli.Result r = Cli.horae("--horaeconfig", file.toString(), "--context", "prod", "context", "show");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no context named prod").contains("[dev, lab]");

    Files.writeString(file, "context.dev.token=abc\n");
    assertThatThrownBy(() -> ContextFile.load(file)).hasMessageContaining("context.dev.token").hasMessageContaining("reserved").hasMessageNotContaining("abc\n");
  }

  @Test
  void theFileIsFoundByFlagThenEnvironmentThenXdgHome() {
    Path flag = tmp.resolve("flag");

    assertThat(ContextFile.locate(flag, Map.of("HORAE_CONFIG", "/env/config"))).isEqualTo(flag);
    assertThat(ContextFile.locate(null, Map.of("HORAE_CONFIG", "/env/config"))).isEqualTo(Path.of("/env/config"));
    assertThat(ContextFile.locate(null, Map.of("XDG_CONFIG_HOME", "/xdg"))).isEqualTo(Path.of("/xdg/horae/config"));
    assertThat(ContextFile.locate(null, Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".config", "horae", "config"));
  }
}
