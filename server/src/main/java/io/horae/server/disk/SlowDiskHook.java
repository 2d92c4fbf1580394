package io.horae.server.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With storage.faultHooks: a slow disk. While {@code <dataDir>/}{@value #FAULT_FILE} exists, the
 * node pauses that many milliseconds before applying each Raft entry to RocksDB, so its replica
 * falls behind the log as it would on a disk that cannot keep up. The file is read at most every
 * {@value #READ_INTERVAL_MILLIS} ms; a file that does not hold a number counts as no delay, with a
 * warning. The pause changes when an entry is applied, never what applying it does.
 */
public final class SlowDiskHook implements LongSupplier {
  private static final Logger LOG = LoggerFactory.getLogger(SlowDiskHook.class);
  public static final String FAULT_FILE = "fault-apply-delay-ms";
  static final long READ_INTERVAL_MILLIS = 200;

  /** The longest pause a file may ask for. */
  static final long DELAY_MAX_MILLIS = 10_000;

  private final Path file;
  private long readAtNanos;
  private long delayMillis;
  private boolean read;

  public SlowDiskHook(Path dataDir) {
    this.file = dataDir.resolve(FAULT_FILE);
  }

  /** The pause before the next entry, in ms; called by the apply thread only. */
  @Override
  public long getAsLong() {
    long now = System.nanoTime();
    if (!read || now - readAtNanos >= TimeUnit.MILLISECONDS.toNanos(READ_INTERVAL_MILLIS)) {
      long before = delayMillis;
      delayMillis = readDelay();
      readAtNanos = now;
      read = true;
      if (delayMillis != before) {
        LOG.warn("fault hook: applying each entry {} ms late ({})", delayMillis, file);
      }
    }
    return delayMillis;
  }

  private long readDelay() {
    try {
      String s = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return Math.clamp(Long.parseLong(s), 0, DELAY_MAX_MILLIS);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | NumberFormatException e) {
      LOG.warn("fault hook: {} must hold a number of milliseconds: {}", file, e.toString());
      return 0;
    }
  }
}
