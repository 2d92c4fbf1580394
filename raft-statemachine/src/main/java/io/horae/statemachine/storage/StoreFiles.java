package io.horae.statemachine.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File moves around checkpoints and snapshot installs. An install never leaves the database
 * directory half-written: the checkpoint is copied into a sibling {@code <dir>.installing} and
 * fsynced, then two renames swap it in ({@code <dir>} becomes {@code <dir>.replaced}, the staged
 * copy becomes {@code <dir>}) and the parent is fsynced. {@link #recoverInstall} at open undoes
 * what a crash interrupted: whatever the moment, the old database or the whole new one is found.
 */
public final class StoreFiles {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFiles.class);

  /** Ratis stores an MD5 beside each received snapshot file; RocksDB must not see those. */
  static final String MD5_SUFFIX = ".md5";

  static final String STAGED_SUFFIX = ".installing";
  static final String REPLACED_SUFFIX = ".replaced";

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

  static Path staged(Path dir) {
    return dir.resolveSibling(dir.getFileName() + STAGED_SUFFIX);
  }

  static Path replaced(Path dir) {
    return dir.resolveSibling(dir.getFileName() + REPLACED_SUFFIX);
  }

  /**
   * Copies the checkpoint beside {@code dir} and makes the copy durable; {@code dir} is not
   * touched. Returns the staged directory.
   */
  static Path stage(Path checkpointDir, Path dir) throws IOException {
    Path staged = staged(dir);
    deleteTree(staged);
    copyCheckpoint(checkpointDir, staged);
    fsync(staged);
    return staged;
  }

  /**
   * Puts {@code staged} in place of {@code dir}, whose database must be closed. Each rename is
   * atomic; a crash between them leaves {@code dir} missing and {@code <dir>.replaced} whole, which
   * {@link #recoverInstall} puts back.
   */
  static void swap(Path staged, Path dir) throws IOException {
    Path replaced = replaced(dir);
    deleteTree(replaced);
    Files.move(dir, replaced, StandardCopyOption.ATOMIC_MOVE);
    Files.move(staged, dir, StandardCopyOption.ATOMIC_MOVE);
    fsync(dir.toAbsolutePath().getParent());
    deleteTree(replaced);
  }

  /**
   * Before opening {@code dir}: finishes the clean-up of an install a crash interrupted. With
   * {@code dir} missing and {@code <dir>.replaced} present, the crash came between the renames: the
   * old database goes back (the state machine then restores from its snapshot again, as it is
   * behind it). Leftover staged or replaced directories are deleted.
   */
  static void recoverInstall(Path dir) throws IOException {
    Path replaced = replaced(dir);
    Path staged = staged(dir);
    if (!Files.exists(dir) && Files.exists(replaced)) {
      Files.move(replaced, dir, StandardCopyOption.ATOMIC_MOVE);
      fsync(dir.toAbsolutePath().getParent());
      LOG.warn(
          "snapshot install was interrupted between its renames; the old database is back dir={}",
          dir);
    }
    if (Files.exists(staged)) {
      LOG.warn("deleting the copy of an interrupted snapshot install dir={}", staged);
      deleteTree(staged);
    }
    deleteTree(replaced);
  }

  /** Copies the files of a checkpoint directory (flat) into {@code target}, skipping checksums. */
  static void copyCheckpoint(Path checkpointDir, Path target) throws IOException {
    Files.createDirectories(target);
    try (Stream<Path> files = Files.list(checkpointDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        if (Files.isRegularFile(f) && !name.endsWith(MD5_SUFFIX)) {
          Path copy = target.resolve(name);
          Files.copy(f, copy);
          fsync(copy);
        }
      }
    }
  }

  /** Forces a file's content, or a directory's entries, to disk. */
  static void fsync(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
