package io.horae.statemachine.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File moves around checkpoints and snapshot installs. */
public final class StoreFiles {
  /** Ratis stores an MD5 beside each received snapshot file; RocksDB must not see those. */
  static final String MD5_SUFFIX = ".md5";

  private StoreFiles() {}

  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> paths = walk.sorted(Comparator.reverseOrder()).toList();
      for (Path p : paths) {
        Files.delete(p);
      }
    }
  }

  /** Copies the files of a checkpoint directory (flat) into {@code target}, skipping checksums. */
  static void copyCheckpoint(Path checkpointDir, Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(checkpointDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && !name.endsWith(MD5_SUFFIX)) {
          Files.copy(f, target.resolve(name));
        }
      }
    }
  }
}
