package io.horae.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node reloads its token file without a restart, and a broken edit locks nobody out. */
class TokenStoreTest {
  private static final Duration RELOAD = Duration.ofSeconds(1);
  @TempDir Path dir;
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private int writes;

  @Test
  void aChangedFileIsReloadedWithinTheReloadPeriod() throws Exception {
    Path file = write(List.of("alice a-token-1 reader:*"));
    TokenStore store = new TokenStore(file, RELOAD, nanos::get);
    assertThat(store.authenticate("a-token-1")).map(Principal::name).contains("alice");
    assertThat(store.authenticate("b-token-1")).isEmpty();

    write(List.of("bob b-token-1 writer:team-a"));
    assertThat(store.authenticate("b-token-1")).as("before the reload period has passed").isEmpty();
    nanos.addAndGet(RELOAD.toNanos());
    assertThat(store.authenticate("b-token-1")).map(Principal::name).contains("bob");
    assertThat(store.authenticate("a-token-1")).as("a removed token is revoked").isEmpty();
  }

  @Test
  void aBrokenEditKeepsTheLastGoodTokensAndAMissingFileKeepsNone() throws Exception {
    Path file = write(List.of("alice a-token-1 reader:*"));
    TokenStore store = new TokenStore(file, RELOAD, nanos::get);

    Files.writeString(file, "alice sha256:nothex reader:*\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000L * ++writes));
    nanos.addAndGet(RELOAD.toNanos());
    assertThat(store.authenticate("a-token-1")).map(Principal::name).contains("alice");

    Files.delete(file);
    nanos.addAndGet(RELOAD.toNanos());
    assertThat(store.authenticate("a-token-1")).isEmpty();
    assertThat(store.size()).isZero();
  }

  @Test
  void aNodeDoesNotStartOnAMissingOrBadFile() throws Exception {
    assertThatThrownBy(() -> new TokenStore(dir.resolve("none"), RELOAD, nanos::get))
        .hasMessageContaining("does not exist");
    Path bad = dir.resolve("bad");
    Files.writeString(bad, "x y\n");
    assertThatThrownBy(() -> new TokenStore(bad, RELOAD, nanos::get))
        .hasMessageContaining("line 1:");
  }

  /** Writes lines of "principal token grants" as a token file (hashing the tokens). */
  private Path write(List<String> lines) throws Exception {
    Path file = dir.resolve("tokens");
    StringBuilder b = new StringBuilder();
    for (String l : lines) {
      String[] p = l.split(" ");
      b.append(
              TokenFile.line(
                  p[0], p[1], java.util.Arrays.stream(p[2].split(",")).map(Grant::parse).toList()))
          .append('\n');
    }
    Files.writeString(file, b.toString());
    Files.setLastModifiedTime(
        file,
        FileTime.fromMillis(
            1_000_000L * ++writes)); // Each write its own time, however fast the test.
    return file;
  }
}
