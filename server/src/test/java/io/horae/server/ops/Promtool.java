package io.horae.server.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Prometheus's {@code promtool}, found or fetched without root: a {@code promtool} on the PATH
 * first, then the one cached in {@code ~/.cache/horae/promtool/}, else Debian's {@code prometheus}
 * package is downloaded with {@code apt-get download} (no root needed) and only {@code
 * usr/bin/promtool} is extracted from it with {@code dpkg-deb} and {@code tar} into that cache.
 * Where none of that works (no apt-get, no network, a different distribution), {@link #find}
 * answers why, and the caller skips its check with that reason rather than failing.
 */
final class Promtool {
  /** Most time for {@code apt-get download} (about 20 MB) and for the extraction, each. */
  static final Duration FETCH_TIMEOUT = Duration.ofSeconds(120);

  /** Most time for one promtool check. */
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  /** Most output bytes kept from a command, for the failure message. */
  static final int OUTPUT_BYTES_MAX = 64 * 1024;

  static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "horae", "promtool");

  /** Where promtool is, or why there is none. */
  record Found(Optional<Path> path, String why) {}

  /** A finished command: its exit code and its output (stdout and stderr together). */
  record Result(int exit, String output) {}

  private Promtool() {}

  /** One lookup per JVM: several test classes may ask, and a fetch is seconds. */
  static synchronized Found find() {
    if (found == null) {
      found = lookUp(System.getenv("PATH"), CACHE);
    }
    return found;
  }

  private static Found found;

  /**
   * Looks on {@code path} (a PATH value, may be null), then in {@code cache}, then fetches into
   * {@code cache}.
   */
  static Found lookUp(String path, Path cache) {
    Optional<Path> onPath = onPath(path, "promtool");
    if (onPath.isPresent()) {
      return new Found(onPath, "promtool on the PATH");
    }
    Path cached = cache.resolve("promtool");
    if (Files.isExecutable(cached)) {
      return new Found(Optional.of(cached), "promtool cached in " + cache);
    }
    if (onPath(path, "apt-get").isEmpty() || onPath(path, "dpkg-deb").isEmpty()) {
      return new Found(
          Optional.empty(),
          "no promtool on the PATH, none cached in "
              + cache
              + ", and no apt-get/dpkg-deb to fetch Debian's prometheus package");
    }
    try {
      return fetch(cache, cached);
    } catch (IOException e) {
      return new Found(
          Optional.empty(),
          "fetching promtool from Debian's prometheus package failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Found(Optional.empty(), "interrupted while fetching promtool");
    }
  }

  /**
   * apt-get download prometheus into a scratch directory, extract usr/bin/promtool, move it into
   * the cache.
   */
  private static Found fetch(Path cache, Path cached) throws IOException, InterruptedException {
    Files.createDirectories(cache);
    Path work = Files.createTempDirectory(cache, "fetch-");
    try {
      Result download =
          run(work, null, FETCH_TIMEOUT, List.of("apt-get", "download", "prometheus"));
      if (download.exit() != 0) {
        return new Found(
            Optional.empty(),
            "apt-get download prometheus failed (exit "
                + download.exit()
                + "): "
                + lastLines(download.output()));
      }
      Path deb;
      try (Stream<Path> files = Files.list(work)) {
        deb =
            files
                .filter(p -> p.getFileName().toString().endsWith(".deb"))
                .findFirst()
                .orElseThrow(() -> new IOException("apt-get download left no .deb in " + work));
      }
      // Only the one binary: the package also holds the Prometheus server (about 100 MB).
      String extract =
          "dpkg-deb --fsys-tarfile '" + deb + "' | tar -x -C '" + work + "' ./usr/bin/promtool";
      Result untar = run(work, null, FETCH_TIMEOUT, List.of("sh", "-c", extract));
      Path binary = work.resolve("usr/bin/promtool");
      if (untar.exit() != 0 || !Files.isExecutable(binary)) {
        return new Found(
            Optional.empty(),
            "extracting usr/bin/promtool from "
                + deb.getFileName()
                + " failed (exit "
                + untar.exit()
                + "): "
                + lastLines(untar.output()));
      }
      // Atomic: another build on this machine may be fetching it at the same time.
      Files.move(
          binary, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Found(
          Optional.of(cached), "promtool fetched from " + deb.getFileName() + " into " + cache);
    } finally {
      deleteTree(work);
    }
  }

  /** Runs promtool with {@code args}, feeding {@code stdin} when not null. */
  static Result check(Path promtool, byte[] stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(promtool.toString());
    command.addAll(List.of(args));
    return run(promtool.getParent(), stdin, RUN_TIMEOUT, command);
  }

  private static Result run(Path dir, byte[] stdin, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    // Read while it runs, so that a chatty command cannot block on a full pipe.
    StringBuilder output = new StringBuilder();
    Thread drain = Thread.ofVirtual().start(() -> output.append(readBounded(p.getInputStream())));
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin);
      }
    }
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
    }
    drain.join(timeout.toMillis());
    return new Result(p.exitValue(), output.toString());
  }

  private static String readBounded(InputStream in) {
    try {
      byte[] all = in.readAllBytes();
      return new String(all, 0, Math.min(all.length, OUTPUT_BYTES_MAX), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  private static Optional<Path> onPath(String path, String name) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir).resolve(name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  private static String lastLines(String output) {
    List<String> lines = output.lines().toList();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
