package io.horae.cli.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.horae.cli.Cli;
import io.horae.cli.common.ClientSettings;
import io.horae.cli.common.Context;
import io.horae.cli.common.ContextFile;
import io.horae.cli.common.TokenSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CLI contexts, kubectl style: the file's format and place, {@code horae context ls|use|show}, and
 * the order in which flags, environment and context decide each setting, the bearer token included
 * (which no output ever shows). No cluster: these are about what the CLI would use, not about calls
 * (CliAgainstClusterTest makes them).
 */
class ContextCommandsTest {
  private static final String TOKEN = "horae_context-test-token-0123456789";
  private static final ClientSettings.Flags NO_FLAGS =
      new ClientSettings.Flags(null, null, null, null, false, null);

  @TempDir Path tmp;

  private Path fileWithTwoContexts() throws Exception {
    Path file = tmp.resolve("config");
    ContextFile.load(file)
        .with(
            new Context(
                "dev",
                "127.0.0.1:7070",
                tmp.resolve("ca.pem"),
                tmp.resolve("admin.pem"),
                tmp.resolve("admin-key.pem"),
                null))
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
    assertThat(r.out())
        .containsPattern("\\*\\s+dev\\s+127.0.0.1:7070\\s+tls")
        .containsPattern("\\s+lab\\s+lab1:7070,lab2:7070\\s+plaintext");
  }

  @Test
  void useSwitchesTheCurrentContextAndShowPrintsItsSettings() throws Exception {
    Path file = fileWithTwoContexts();

    assertThat(Cli.horae("--horaeconfig", file.toString(), "context", "use", "lab").exitCode())
        .isZero();
    Cli.Result show = Cli.horae("--horaeconfig", file.toString(), "context", "show");

    assertThat(show.out())
        .contains("context:    lab")
        .contains("endpoints:  lab1:7070,lab2:7070")
        .contains("transport:  plaintext");
    assertThat(ContextFile.load(file).current()).contains("lab");
  }

  @Test
  void theContextFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = fileWithTwoContexts();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void flagsBeatTheEnvironmentWhichBeatsTheContextWhichBeatsTheDefault() throws Exception {
    ContextFile file = ContextFile.load(fileWithTwoContexts());
    ClientSettings.Flags none = new ClientSettings.Flags(null, null, null, null, false, null);

    assertThat(ClientSettings.resolve(none, Map.of(), file).endpoints())
        .isEqualTo("127.0.0.1:7070");
    assertThat(ClientSettings.resolve(none, Map.of("HORAE_ENDPOINTS", "env:1"), file).endpoints())
        .isEqualTo("env:1");
    ClientSettings.Flags flag = new ClientSettings.Flags("flag:1", null, null, null, false, null);
    assertThat(ClientSettings.resolve(flag, Map.of("HORAE_ENDPOINTS", "env:1"), file).endpoints())
        .isEqualTo("flag:1");
    assertThat(
            ClientSettings.resolve(none, Map.of(), ContextFile.load(tmp.resolve("none")))
                .endpoints())
        .isEqualTo("localhost:7070");
    assertThat(ClientSettings.resolve(none, Map.of("HORAE_CONTEXT", "lab"), file).plaintext())
        .isTrue();
    ClientSettings.Flags otherCa =
        new ClientSettings.Flags(null, tmp.resolve("other.pem"), null, null, false, null);
    assertThat(ClientSettings.resolve(otherCa, Map.of(), file).ca())
        .isEqualTo(tmp.resolve("other.pem"));
  }

  @Test
  void askingForPlaintextDropsTheContextsTlsFiles() throws Exception {
    ContextFile file = ContextFile.load(fileWithTwoContexts());

    ClientSettings s =
        ClientSettings.resolve(
            new ClientSettings.Flags(null, null, null, null, true, null), Map.of(), file);

    assertThat(s.plaintext()).isTrue();
    assertThat(s.ca()).isNull();
    assertThat(s.cert()).isNull();
  }

  @Test
  void anUnknownContextOrKeyIsNamed() throws Exception {
    Path file = fileWithTwoContexts();

    Cli.Result r =
        Cli.horae("--horaeconfig", file.toString(), "--context", "prod", "context", "show");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("no context named prod").contains("[dev, lab]");

    Files.writeString(file, "context.dev.tokenfile=/x\n");
    assertThatThrownBy(() -> ContextFile.load(file))
        .hasMessageContaining("unknown key context.dev.tokenfile")
        .hasMessageContaining(".tokenFile");
  }

  @Test
  void aContextsTokenFileIsSavedUsedAndShownByItsPlaceNeverByItsValue() throws Exception {
    Path tokenFile = tokenFile("token");
    Path file = tmp.resolve("config");
    ContextFile.load(file)
        .with(
            new Context("dev", "127.0.0.1:7070", tmp.resolve("ca.pem"), null, null, null)
                .withTokenFile(tokenFile))
        .use("dev")
        .save();

    ClientSettings s = ClientSettings.resolve(NO_FLAGS, Map.of(), ContextFile.load(file));
    Cli.Result show = Cli.horae("--horaeconfig", file.toString(), "context", "show");
    Cli.Result ls = Cli.horae("--horaeconfig", file.toString(), "context", "ls");

    assertThat(s.token()).map(TokenSource::read).contains(TOKEN);
    assertThat(show.out())
        .contains(
            "token:      set, from the file "
                + tokenFile
                + " (context.dev.tokenFile of "
                + file
                + ")");
    assertThat(ls.out()).containsPattern("dev\\s+127.0.0.1:7070\\s+tls\\s+token file");
    assertNeverShown(show, ls);
  }

  @Test
  void anInlineTokenIsAcceptedOnlyWhileNobodyButTheOwnerMayReadTheFile() throws Exception {
    Path file = tmp.resolve("config");
    ContextFile.load(file)
        .with(new Context("dev", "127.0.0.1:7070", null, null, null, null, null, TOKEN))
        .use("dev")
        .save();

    Cli.Result show = Cli.horae("--horaeconfig", file.toString(), "context", "show");
    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out()).contains("token:      set, inline (context.dev.token of " + file + ")");
    assertThat(ClientSettings.resolve(NO_FLAGS, Map.of(), ContextFile.load(file)).token())
        .map(TokenSource::read)
        .contains(TOKEN);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    Cli.Result refused = Cli.horae("--horaeconfig", file.toString(), "context", "show");

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains(file.toString())
        .contains("context.dev.token")
        .contains("chmod 600")
        .contains("context.dev.tokenFile");
    assertNeverShown(show, refused);
  }

  @Test
  void theTokenComesFromTheFlagThenTheTokenFileVariableThenTheTokenVariableThenTheContext()
      throws Exception {
    Path file = tmp.resolve("config");
    ContextFile.load(file)
        .with(
            new Context("dev", "127.0.0.1:7070", null, null, null, null)
                .withTokenFile(tokenFile("context-token")))
        .use("dev")
        .save();
    ContextFile contexts = ContextFile.load(file);
    ClientSettings.Flags flag =
        new ClientSettings.Flags(null, null, null, null, false, null, tokenFile("flag-token"));
    Map<String, String> bothVariables =
        Map.of(
            "HORAE_TOKEN_FILE",
            tokenFile("env-file-token").toString(),
            "HORAE_TOKEN",
            "horae_env-token-0123456789");

    assertThat(ClientSettings.resolve(flag, bothVariables, contexts).token())
        .map(TokenSource::origin)
        .contains("--token-file");
    assertThat(ClientSettings.resolve(NO_FLAGS, bothVariables, contexts).token())
        .map(TokenSource::origin)
        .contains("HORAE_TOKEN_FILE");
    assertThat(
            ClientSettings.resolve(
                    NO_FLAGS, Map.of("HORAE_TOKEN", "horae_env-token-0123456789"), contexts)
                .token())
        .map(TokenSource::read)
        .contains("horae_env-token-0123456789");
    assertThat(ClientSettings.resolve(NO_FLAGS, Map.of(), contexts).token())
        .map(TokenSource::origin)
        .contains("context.dev.tokenFile of " + file);
    assertThat(
            ClientSettings.resolve(NO_FLAGS, Map.of(), ContextFile.load(tmp.resolve("none")))
                .token())
        .isEmpty();
  }

  @Test
  void aTokenFileThatCannotBeReadIsNamedWithItsKeyWhenACommandNeedsIt() throws Exception {
    Path missing = tmp.resolve("no-such-token");
    Path file = tmp.resolve("config");
    ContextFile.load(file)
        .with(new Context("dev", "127.0.0.1:7070", null, null, null, null).withTokenFile(missing))
        .use("dev")
        .save();

    Cli.Result r = Cli.horae("--horaeconfig", file.toString(), "job", "ls");
    Cli.Result flag =
        Cli.horae(
            "--horaeconfig", file.toString(), "--token-file", missing.toString(), "job", "ls");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .contains("context.dev.tokenFile")
        .contains(missing.toString())
        .contains("cannot be read");
    assertThat(flag.err()).contains("--token-file names " + missing);
  }

  @Test
  void aContextWithBothATokenAndATokenFileIsRefusedNamingBothKeys() throws Exception {
    Path file = tmp.resolve("config");
    Files.writeString(file, "context.dev.tokenFile=/t\ncontext.dev.token=" + TOKEN + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> ContextFile.load(file))
        .hasMessageContaining("context.dev.token and context.dev.tokenFile")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void aContextPrintsItsTokenOnlyAsSet() {
    Context c = new Context("dev", "127.0.0.1:7070", null, null, null, null, null, TOKEN);

    assertThat(c.toString()).contains("token=(set)").doesNotContain(TOKEN);
  }

  private Path tokenFile(String name) throws Exception {
    Path f = tmp.resolve(name);
    Files.writeString(f, (name.equals("token") ? TOKEN : "horae_" + name + "-0123456789") + "\n");
    return f;
  }

  private static void assertNeverShown(Cli.Result... results) {
    for (Cli.Result r : results) {
      assertThat(r.out()).doesNotContain(TOKEN);
      assertThat(r.err()).doesNotContain(TOKEN);
    }
  }

  @Test
  void theFileIsFoundByFlagThenEnvironmentThenXdgHome() {
    Path flag = tmp.resolve("flag");

    assertThat(ContextFile.locate(flag, Map.of("HORAE_CONFIG", "/env/config"))).isEqualTo(flag);
    assertThat(ContextFile.locate(null, Map.of("HORAE_CONFIG", "/env/config")))
        .isEqualTo(Path.of("/env/config"));
    assertThat(ContextFile.locate(null, Map.of("XDG_CONFIG_HOME", "/xdg")))
        .isEqualTo(Path.of("/xdg/horae/config"));
    assertThat(ContextFile.locate(null, Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "horae", "config"));
  }
}
