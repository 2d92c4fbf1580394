package io.horae.cli.apply;

import io.horae.api.v1.Header;
import java.util.Locale;
import java.util.Set;

/**
 * Which header values the server treats as secret: those marked secret and the names job.proto says
 * always are. The server stores such a header with {@code secret: true} and reads return it without
 * its value, so apply must know the rule to compare a file with a read.
 */
final class SecretHeaderNames {
  /** Lower-case; the same list as job.proto's Header.secret and the server's SecretHeaders. */
  static final Set<String> ALWAYS_SECRET =
      Set.of("authorization", "proxy-authorization", "cookie", "x-api-key");

  private SecretHeaderNames() {}

  static boolean isSecret(Header h) {
    return h.getSecret() || ALWAYS_SECRET.contains(h.getName().toLowerCase(Locale.ROOT));
  }
}
