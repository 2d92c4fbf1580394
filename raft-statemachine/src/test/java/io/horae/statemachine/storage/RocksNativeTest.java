package io.horae.statemachine.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocksDB's native library is kept in a directory between starts ({@link RocksNative}): extracted
 * once, loaded from there by every later process, and RocksDB's own loader still runs when that
 * directory cannot be used. The processes here are real JVMs that open a real store.
 */
class RocksNativeTest {
  @TempDir Path tmp;

  @Test
  void theLibraryIsExtractedOnceAndLaterCallsLeaveItAsItIs() throws IOException {
    Path dir = RocksNative.libraryDir(tmp.resolve("native"));
    assertThat(dir).isNotNull();
    List<Path> files = list(dir);
    assertThat(files).hasSize(1);
    Path library = files.get(0);
    Object fileKey = Files.readAttributes(library, "unix:ino").get("ino");
    long size = Files.size(library);

    assertThat(RocksNative.libraryDir(tmp.resolve("native"))).isEqualTo(dir);

    assertThat(list(dir)).containsExactly(library); // no temp file left, no second copy
    assertThat(Files.readAttributes(library, "unix:ino").get("ino")).isEqualTo(fileKey);
    assertThat(Files.size(library)).isEqualTo(size).isGreaterThan(1_000_000L);
  }

  @Test
  void aProcessWithTheDirectoryMapsTheLibraryFromThereAndCopiesNothingToItsTempDir()
      throws Exception {
    Path nativeDir = tmp.resolve("native");
    Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));

    List<String> mapped = probe(nativeDir.toString(), childTmp);

    assertThat(mapped).isNotEmpty().allMatch(line -> line.contains(nativeDir.toString()));
    assertThat(list(childTmp)).noneMatch(f -> f.getFileName().toString().contains("rocksdb"));
  }

  @Test
  void aDirectoryThatCannotBeMadeFallsBackToRocksDbsOwnLoader() throws Exception {
    Path notADir = Files.writeString(tmp.resolve("a-file"), "not a directory");
    Path childTmp = Files.createDirectories(tmp.resolve("child-tmp"));

    List<String> mapped = probe(notADir.toString(), childTmp);

    assertThat(mapped).isNotEmpty().allMatch(line -> line.contains(childTmp.toString()));
  }

  /**
   * Runs {@link Probe} in a JVM of its own: it opens a store and prints the lines of its memory map
   * that name RocksDB's library.
   */
  private List<String> probe(String nativeDir, Path childTmp) throws Exception {
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-D" + RocksNative.DIR_PROPERTY + "=" + nativeDir,
                "-Djava.io.tmpdir=" + childTmp,
                "-cp",
                System.getProperty("java.class.path"),
                Probe.class.getName(),
                tmp.resolve("db").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out.lines().filter(l -> l.startsWith("MAPPED ")).toList();
  }

  private static List<Path> list(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return new ArrayList<>(s.toList());
    }
  }

  /** The child process of {@link #probe}. */
  static final class Probe {
    public static void main(String[] args) throws IOException {
      try (RocksStore store = RocksStore.open(Path.of(args[0]))) {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
          if (line.contains("rocksdbjni")) {
            System.out.println("MAPPED " + line);
          }
        }
      }
    }
  }
}
