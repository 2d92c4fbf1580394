package io.horae.cli;

import io.horae.statemachine.storage.StoreFiles;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The client daemon's dealings with the file system: FIFOs, call directories, its own jars. */
final class DaemonFiles {
  /** The name of a call directory, as {@code mktemp -d call.XXXXXXXX} makes it. */
  static final Pattern CALL_NAME = Pattern.compile("call\\.[A-Za-z0-9]{4,32}");

  private DaemonFiles() {}

  /** Opens a FIFO for reading and writing, which never blocks, whoever else has it open. */
  static FileChannel openFifo(Path fifo) throws IOException {
    return FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /** Writes {@code line} and a newline; a short line to a pipe is one atomic write. */
  static void writeLine(FileChannel channel, String line) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  /** Removes a call directory; one already gone, or being removed by its caller, is fine. */
  static void deleteCallDir(Path call) {
    try {
      StoreFiles.deleteTree(call);
    } catch (IOException | java.io.UncheckedIOException e) {
      // the caller removes it
    }
  }

  /** The jars this JVM runs from (a directory for a {@code dir/*} entry). */
  static List<Path> classpathJars() {
    List<Path> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      jars.add(Path.of(entry.endsWith("*") ? entry.substring(0, entry.length() - 1) : entry));
    }
    return jars;
  }

  /**
   * The newest modification time among {@code jars} and the files of its directories, in millis: a
   * newer one means a new build. {@link Long#MAX_VALUE} when one is gone (a build under way).
   */
  static long newestModified(List<Path> jars) {
    long newest = 0;
    for (Path p : jars) {
      try {
        newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
        if (Files.isDirectory(p)) {
          try (Stream<Path> inside = Files.list(p)) {
            for (Path jar : inside.toList()) {
              newest = Math.max(newest, Files.getLastModifiedTime(jar).toMillis());
            }
          }
        }
      } catch (IOException e) {
        return Long.MAX_VALUE;
      }
    }
    return newest;
  }
}
