package io.horae.statemachine.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads RocksDB's native library from a directory kept between starts, instead of letting RocksDB
 * copy it out of its jar into the temp dir on every start.
 *
 * <p>RocksDB's own loader writes its 17 MB library to a new temp file each time a process starts
 * (about 0.2 s of a node's start on a 2-core machine) and removes it only when the JVM exits
 * normally: every node that is killed or crashes leaves its copy behind. With the system property
 * {@value #DIR_PROPERTY} set (bin/horae sets it to the build's {@code cli/target/dist/native}; the
 * one node launcher, {@code NodeCommand}, passes a directory to every node it starts), the library
 * is extracted once per RocksDB version into that directory and loaded from there. Without it, or
 * if anything about that directory fails, RocksDB's own loader runs as before.
 */
public final class RocksNative {
  private static final Logger LOG = LoggerFactory.getLogger(RocksNative.class);

  /** The system property naming the directory that keeps the library between starts. */
  public static final String DIR_PROPERTY = "horae.nativeDir";

  private RocksNative() {}

  /** Loads the library once per process (RocksDB ignores later calls). */
  static void load() {
    String base = System.getProperty(DIR_PROPERTY, "");
    if (!base.isBlank()) {
      try {
        Path dir = libraryDir(Path.of(base));
        if (dir != null) {
          RocksDB.loadLibrary(List.of(dir.toString()));
          return;
        }
      } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
        LOG.warn(
            "could not load RocksDB's native library from {} ({}); extracting it from its jar",
            base,
            e.toString());
      }
    }
    RocksDB.loadLibrary();
  }

  /**
   * The directory under {@code base} that holds this RocksDB version's library for this platform,
   * extracted there first if it is not there yet; null when that cannot be named (RocksDB not
   * loaded from a versioned jar, or no library in it for this platform).
   *
   * <p>Safe with several processes starting at once: each writes its own temp file and renames it
   * into place, so a reader sees no file or a whole one.
   */
  public static Path libraryDir(Path base) throws IOException {
    URL resource = RocksDB.class.getClassLoader().getResource(jarEntry());
    String version = jarName();
    if (resource == null || version == null) {
      return null;
    }
    Path dir = base.resolve(version);
    Path target = dir.resolve(loadedName());
    if (Files.isRegularFile(target)) {
      return dir;
    }
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".extract-", ".tmp");
    try (InputStream in = resource.openStream()) {
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return dir;
  }

  /** The library's entry in RocksDB's jar for this platform (what RocksDB's loader extracts). */
  private static String jarEntry() {
    return Environment.getJniLibraryFileName("rocksdb");
  }

  /**
   * The file name {@link RocksDB#loadLibrary(List)} looks for in each directory. It derives it from
   * "rocksdbjni" where the jar entry derives from "rocksdb" ({@code librocksdbjnijni-linux64.so}
   * against {@code librocksdbjni-linux64.so} on x86-64 Linux), so it is asked the same way here.
   */
  private static String loadedName() {
    return Environment.getJniLibraryFileName("rocksdbjni");
  }

  /** The RocksDB jar's name without ".jar" (it carries the version), or null if not a jar. */
  private static String jarName() {
    try {
      var source = RocksDB.class.getProtectionDomain().getCodeSource();
      if (source == null) {
        return null;
      }
      Path jar = Path.of(source.getLocation().toURI());
      String name = jar.getFileName().toString();
      return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
