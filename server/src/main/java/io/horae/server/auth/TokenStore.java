package io.horae.server.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens of a token file, reloaded without a restart: at most once per {@code reloadEvery} a
 * call checks the file's modification time and size, and a changed file is parsed again. A file
 * that no longer parses leaves the last good tokens in force and is logged at WARN with the line
 * and the reason (never a token or a hash); a file that is gone leaves none. Thread-safe.
 */
public final class TokenStore {
  private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);

  private record Loaded(TokenFile.Parsed principals, FileTime modified, long size) {}

  private final Path file;
  private final long reloadEveryNanos;
  private final LongSupplier nanos;
  private final AtomicLong checkedAtNanos;
  private volatile Loaded loaded;

  /** Loads the file now; a missing or bad file at start is an error naming the file and line. */
  public TokenStore(Path file, Duration reloadEvery, LongSupplier nanos) {
    this.file = file;
    this.reloadEveryNanos = reloadEvery.toNanos();
    this.nanos = nanos;
    this.loaded =
        read()
            .orElseThrow(
                () -> new IllegalArgumentException("token file " + file + " does not exist"));
    this.checkedAtNanos = new AtomicLong(nanos.getAsLong());
  }

  /** The principal whose token this is; empty for an unknown token. */
  public Optional<Principal> authenticate(String token) {
    reloadIfDue();
    // A lookup by the hash of what was presented: its timing tells nothing about a valid token.
    return Optional.ofNullable(loaded.principals().byTokenHash().get(TokenFile.hash(token)));
  }

  /**
   * The principal of a client certificate that names {@code horae-client:<name>}, if the file lists
   * it.
   */
  public Optional<Principal> certificate(String name) {
    reloadIfDue();
    return Optional.ofNullable(loaded.principals().byCertificate().get(name));
  }

  /** How many credentials (tokens and certificate names) are in force. */
  public int size() {
    return loaded.principals().byTokenHash().size() + loaded.principals().byCertificate().size();
  }

  private void reloadIfDue() {
    long now = nanos.getAsLong();
    long last = checkedAtNanos.get();
    if (now - last < reloadEveryNanos || !checkedAtNanos.compareAndSet(last, now)) {
      return; // Checked recently, or another thread is checking now.
    }
    try {
      if (!Files.exists(file)) {
        if (size() > 0) {
          LOG.warn("token file {} is gone: no token is accepted until it is back", file);
        }
        loaded = new Loaded(new TokenFile.Parsed(Map.of(), Map.of()), FileTime.fromMillis(0), -1);
        return;
      }
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (modified.equals(loaded.modified()) && size == loaded.size()) {
        return;
      }
      read()
          .ifPresent(
              l -> {
                loaded = l;
                LOG.info(
                    "token file {} reloaded: {} tokens, {} certificate names",
                    file,
                    l.principals().byTokenHash().size(),
                    l.principals().byCertificate().size());
              });
    } catch (IOException | IllegalArgumentException e) {
      LOG.warn(
          "token file {} not reloaded, the tokens loaded before stay in force: {}",
          file,
          e.getMessage());
    }
  }

  private Optional<Loaded> read() {
    try {
      if (!Files.exists(file)) {
        return Optional.empty();
      }
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      return Optional.of(
          new Loaded(
              TokenFile.parse(Files.readString(file, StandardCharsets.UTF_8)), modified, size));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read token file " + file + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("token file " + file + ", " + e.getMessage(), e);
    }
  }
}
