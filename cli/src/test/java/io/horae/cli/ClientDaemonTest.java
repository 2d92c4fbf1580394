package io.horae.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.cli.Cli.Result;
import io.horae.server.tls.ClusterCerts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client daemon, driven as bin/horae drives it: real bash running bin/lib/daemon.sh's {@code
 * horae_daemon_call}, real FIFOs, and a daemon serving in this JVM in front of a real one-node
 * cluster. What a call prints and returns must be what the same command prints and returns in a JVM
 * of its own ({@link Cli}, in-process).
 */
class ClientDaemonTest {
  @RegisterExtension static final ClusterFixture CLUSTER = new ClusterFixture(1, Map.of());

  private static final Path SCRIPT = Path.of("..", "bin", "lib", "daemon.sh").toAbsolutePath();
  private static final String JDK = System.getProperty("java.home");

  @TempDir static Path tmp;
  private static ClientDaemon daemon;
  private static Thread serving;
  private static Path dir;

  @BeforeAll
  static void startTheDaemon() throws IOException {
    dir = privateDir(tmp.resolve("daemon"));
    daemon = new ClientDaemon(dir, Duration.ZERO, 2, 0, DaemonFiles.classpathJars());
    serving = start(daemon);
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dir.resolve("pid")));
  }

  @AfterAll
  static void stopTheDaemon() throws InterruptedException {
    daemon.stop("the test is over");
    serving.join(10_000);
  }

  @Test
  void aCommandRunInTheDaemonPrintsAndExitsAsInAJvmOfItsOwn() throws Exception {
    assertThat(
            CLUSTER
                .horae("job", "create", "listed", "--url", "http://127.0.0.1:9/a", "--in", "1h")
                .exitCode())
        .isZero();

    for (List<String> command :
        List.of(
            List.of("job", "ls"),
            List.of("job", "ls", "-o", "json"),
            List.of("job", "get", "no-such-job"),
            List.of("job", "ls", "--no-such-flag"),
            List.of("--version"))) {
      Result own = CLUSTER.horae(command.toArray(String[]::new));
      Result viaDaemon = call(tmp, Map.of(), withCluster(command));
      assertThat(viaDaemon).as("%s", command).isEqualTo(own);
    }
    assertThat(call(tmp, Map.of(), withCluster(List.of("job", "ls"))).out()).contains("listed");
  }

  @Test
  void relativePathsAndTheEnvironmentAreTheCallers() throws Exception {
    Path caller = Files.createDirectories(tmp.resolve("caller"));
    Files.writeString(caller.resolve("body.json"), "{\"from\":\"the caller's directory\"}");
    ClusterCerts certs = CLUSTER.cluster().certs();
    Map<String, String> env =
        Map.of(
            "HORAE_ENDPOINTS", CLUSTER.cluster().endpoints(),
            "HORAE_CA", caller.relativize(CLUSTER.cluster().caFile()).toString(),
            "HORAE_CERT", caller.relativize(certs.cert(ClusterCerts.ADMIN)).toString(),
            "HORAE_KEY", caller.relativize(certs.key(ClusterCerts.ADMIN)).toString(),
            "HORAE_CONFIG", "no-context-file-here");

    Result created =
        call(
            caller,
            env,
            List.of(
                "job",
                "create",
                "relative",
                "--url",
                "http://127.0.0.1:9/r",
                "--in",
                "1h",
                "--body",
                "@body.json"));

    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(CLUSTER.storedJob("default", "relative").getTarget().getBody().toStringUtf8())
        .isEqualTo("{\"from\":\"the caller's directory\"}");
  }

  @Test
  void aCommandThatReadsStandardInputIsHandedBackToTheCaller() throws Exception {
    Result result = call(tmp, Map.of(), withCluster(List.of("apply", "-f", "-")));

    assertThat(result).isEqualTo(new Result(255, "", ""));
  }

  @Test
  void aCallerThatDiesEndsItsCommand() throws Exception {
    Process caller =
        bash(tmp, Map.of(), withCluster(List.of("exec", "watch", "--job", "never-fires")))
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> daemon.runningCalls() == 1);
    } finally {
      caller.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> daemon.runningCalls() == 0);
    await().atMost(Duration.ofSeconds(20)).until(() -> callDirs(dir).isEmpty());
  }

  @Test
  void aDaemonOfAnotherJdkOrBuildHandsTheCallBackAndStops() throws Exception {
    Path otherDir = privateDir(tmp.resolve("stale-daemon"));
    ClientDaemon other =
        new ClientDaemon(otherDir, Duration.ZERO, 1, 0, DaemonFiles.classpathJars());
    Thread otherServing = start(other);
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(otherDir.resolve("pid")));

    Result result = call(otherDir, "/no/such/jdk", tmp, Map.of(), List.of("--version"));

    assertThat(result).isEqualTo(new Result(255, "", ""));
    otherServing.join(10_000);
    assertThat(otherServing.isAlive()).isFalse();
    assertThat(otherDir.resolve("pid")).doesNotExist();
    assertThat(otherDir.resolve("requests")).doesNotExist();
  }

  @Test
  void withNoDaemonTheCallerRunsTheCommandItself() throws Exception {
    Path empty = privateDir(tmp.resolve("no-daemon"));

    Result result = call(empty, JDK, tmp, Map.of(), List.of("--version"));

    assertThat(result).isEqualTo(new Result(255, "", ""));
  }

  private static List<String> withCluster(List<String> command) {
    ClusterCerts certs = CLUSTER.cluster().certs();
    List<String> all =
        new ArrayList<>(
            List.of(
                "--horaeconfig=" + Cli.NO_CONTEXTS,
                "--endpoints",
                CLUSTER.cluster().endpoints(),
                "--ca",
                CLUSTER.cluster().caFile().toString(),
                "--cert",
                certs.cert(ClusterCerts.ADMIN).toString(),
                "--key",
                certs.key(ClusterCerts.ADMIN).toString()));
    all.addAll(command);
    return all;
  }

  private static Result call(Path cwd, Map<String, String> env, List<String> args)
      throws Exception {
    return call(dir, JDK, cwd, env, args);
  }

  private static Result call(
      Path daemonDir, String jdk, Path cwd, Map<String, String> env, List<String> args)
      throws Exception {
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    Process p =
        bash(daemonDir, jdk, cwd, env, args)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the call ended").isTrue();
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static ProcessBuilder bash(Path cwd, Map<String, String> env, List<String> args) {
    return bash(dir, JDK, cwd, env, args);
  }

  /** {@code bash -c '. daemon.sh; horae_daemon_call DIR JDK ARGS...'} in {@code cwd}. */
  private static ProcessBuilder bash(
      Path daemonDir, String jdk, Path cwd, Map<String, String> env, List<String> args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash",
                "-c",
                ". \"$0\"; horae_daemon_call \"$@\"",
                SCRIPT.toString(),
                daemonDir.toString(),
                jdk));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("HORAE_"));
    pb.environment().putAll(env);
    return pb;
  }

  private static Thread start(ClientDaemon d) {
    Thread t =
        new Thread(
            () -> {
              try {
                d.serve();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "client-daemon-under-test");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static Path privateDir(Path path) throws IOException {
    return Files.createDirectory(
        path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private static List<Path> callDirs(Path daemonDir) throws IOException {
    try (var entries = Files.list(daemonDir)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("call.")).toList();
    }
  }
}
