package io.horae.chaos.check;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends events to a history file, one JSON object per line, flushed after each line so that a
 * crash of the test JVM loses at most the line being written. Thread-safe: clients and the nemesis
 * share one writer; lines never interleave.
 */
public final class HistoryWriter implements AutoCloseable {
  public static final String FILE = "history.jsonl";

  private final Path file;
  // Guarded by this.
  private final BufferedWriter out;

  public HistoryWriter(Path file) {
    this.file = file;
    try {
      this.out =
          Files.newBufferedWriter(
              file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open history " + file, e);
    }
  }

  /** Writes the event and returns it, so that callers can keep the invoke to complete later. */
  public synchronized Event append(Event event) {
    try {
      out.write(event.toJsonLine());
      out.newLine();
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to history " + file, e);
    }
    return event;
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close history " + file, e);
    }
  }
}
