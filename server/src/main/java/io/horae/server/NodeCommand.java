package io.horae.server;

import io.horae.statemachine.storage.RocksNative;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line of a node run as a process of its own: the JDK that runs this process, the flags
 * every node needs, the node's JVM flags, and the server's own main class ({@link HoraeServer})
 * with its config file. The one launcher of `horae bench`'s local cluster and the chaos tests'
 * process cluster; `bin/horae server` and the Dockerfile run the same main class through the CLI
 * with the same flags.
 */
public final class NodeCommand {
  /** What every node process needs on JDK 25: RocksDB's and Netty's native access. */
  static final List<String> REQUIRED_FLAGS =
      List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

  private NodeCommand() {}

  /**
   * @param jvmFlags heap, collector, logging and the like, in order (later ones win)
   * @param classpath the server's classpath
   * @param config the node's config file
   */
  public static List<String> of(List<String> jvmFlags, String classpath, Path config) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(REQUIRED_FLAGS);
    NativeDir.PATH.ifPresent(dir -> cmd.add("-D" + RocksNative.DIR_PROPERTY + "=" + dir));
    cmd.addAll(jvmFlags);
    cmd.addAll(
        List.of("-cp", classpath, HoraeServer.class.getName(), "--config", config.toString()));
    return cmd;
  }

  /**
   * Where the nodes started here load RocksDB's native library from ({@link RocksNative}): this
   * process's own directory when it has one (bin/horae names the build's), else one made for this
   * process, holding the library extracted once, and removed when this process exits. Either way a
   * node that is killed leaves no copy of the library behind, and no node spends its start copying
   * it. Empty if that directory cannot be made (the nodes then extract the library themselves).
   */
  private static final class NativeDir {
    static final Optional<String> PATH = find();

    private static Optional<String> find() {
      String own = System.getProperty(RocksNative.DIR_PROPERTY, "");
      if (!own.isBlank()) {
        return Optional.of(own);
      }
      try {
        Path base = Files.createTempDirectory("horae-native-");
        base.toFile().deleteOnExit();
        Path dir = RocksNative.libraryDir(base);
        if (dir == null) {
          return Optional.empty();
        }
        // deleteOnExit removes in the reverse order of these calls: the files, then their dir.
        dir.toFile().deleteOnExit();
        try (var files = Files.list(dir)) {
          files.forEach(f -> f.toFile().deleteOnExit());
        }
        return Optional.of(base.toString());
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }

  /**
   * The flags of a java argument file such as config/jvm.options: one per line, {@code #} starts a
   * comment.
   */
  public static List<String> jvmOptions(Path file) {
    try {
      return Files.readAllLines(file).stream()
          .map(l -> l.replaceFirst("#.*", "").trim())
          .filter(l -> !l.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the node JVM options " + file, e);
    }
  }
}
