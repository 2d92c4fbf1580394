package io.horae.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.horae.server.config.AuthConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a node's public auth does at start, without a cluster: auth off is loud (WARN at every
 * start, naming the key), and auth on needs a token file that exists. AuthClusterTest covers calls.
 */
class PublicAuthTest {
  @TempDir Path tmp;

  @Test
  void authOffIsLoggedAtWarnNamingTheKey() {
    List<ILoggingEvent> seen = logged(() -> PublicAuth.from(AuthConfig.OFF));

    assertThat(seen)
        .anySatisfy(
            e -> {
              assertThat(e.getLevel()).isEqualTo(Level.WARN);
              assertThat(e.getFormattedMessage()).contains("auth.enabled=false");
            });
  }

  @Test
  void authOnWithAMissingAccessFileStopsTheStartNamingTheFile() {
    Path missing = tmp.resolve("tokens");
    AuthConfig on = new AuthConfig(true, missing.toString(), Duration.ofSeconds(2), false);

    assertThatThrownBy(() -> PublicAuth.from(on)).hasMessageContaining(missing.toString());
  }

  private static List<ILoggingEvent> logged(Supplier<?> action) {
    Logger log = (Logger) LoggerFactory.getLogger(PublicAuth.class);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.start();
    log.addAppender(seen);
    try {
      action.get();
      return List.copyOf(seen.list);
    } finally {
      log.detachAppender(seen);
    }
  }
}
