package io.horae.server.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node.js scripts of {@code src/test/console/} for the browser tests, after installing
 * their npm packages (pinned by the committed package-lock.json) with {@code npm ci} into its
 * {@code node_modules/} (ignored by git) when they are not there yet, or were installed from an
 * older lock file. Every process is bounded in time and killed, with its children, past it.
 */
final class NodeScript {
  static final Path DIR = Path.of("src", "test", "console");

  /**
   * npm ci downloads about 70 MB (Chromium) the first time; later runs take them from npm's cache.
   */
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  /** Written into node_modules/ after a successful install: the lock file's digest. */
  private static final String STAMP = ".horae-installed-lock-sha256";

  record Result(int exitCode, String output, Duration took) {}

  private NodeScript() {}

  /**
   * Installs the packages unless node_modules holds those of the current lock file.
   *
   * @throws IllegalStateException naming what to install when node or npm is missing, or with npm's
   *     output when the install fails
   */
  static synchronized void install() throws IOException, InterruptedException {
    requireOnPath("node");
    requireOnPath("npm");
    String lock = sha256(Files.readAllBytes(DIR.resolve("package-lock.json")));
    Path stamp = DIR.resolve("node_modules").resolve(STAMP);
    if (Files.isRegularFile(stamp) && Files.readString(stamp).trim().equals(lock)) {
      return;
    }
    Result npm =
        exec(
            List.of(
                "npm",
                "ci",
                "--no-audit",
                "--no-fund",
                "--prefer-offline",
                "--loglevel=error",
                "--fetch-retries=1",
                "--fetch-timeout=60000"),
            Map.of(),
            INSTALL_TIMEOUT);
    System.out.println("npm ci in " + DIR + " took " + npm.took().toMillis() + " ms");
    if (npm.exitCode() != 0) {
      throw new IllegalStateException(
          "npm ci in " + DIR + " failed (exit " + npm.exitCode() + "):\n" + npm.output());
    }
    Files.writeString(stamp, lock + "\n");
  }

  /** Runs {@code node <script>} in {@link #DIR} with these extra environment variables. */
  static Result run(String script, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    return exec(List.of("node", script), env, timeout);
  }

  private static Result exec(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    Path log = Files.createTempFile("horae-node-", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(DIR.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(env);
      long start = System.nanoTime();
      Process p = pb.start();
      boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      if (!ended) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " ran past "
                + timeout
                + " and was killed; its output:\n"
                + output);
      }
      return new Result(p.exitValue(), output, took);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  static void requireOnPath(String tool) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(tool, "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return;
      }
      p.destroyForcibly();
    } catch (IOException e) {
      // Not on the PATH: said below.
    }
    throw new IllegalStateException(
        tool
            + " is not on the PATH: install Node.js 20.11 or newer with npm (the console's browser test drives headless Chromium through npm packages)");
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
