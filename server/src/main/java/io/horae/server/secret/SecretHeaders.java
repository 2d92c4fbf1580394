package io.horae.server.secret;

import io.horae.api.v1.Header;
import java.util.Locale;
import java.util.Set;

/** Which header values are credentials: those marked secret, and a few that always are. */
public final class SecretHeaders {
  /** Lower-case names whose values are secret whatever the request says (job.proto). */
  public static final Set<String> ALWAYS_SECRET =
      Set.of("authorization", "proxy-authorization", "cookie", "x-api-key");

  private SecretHeaders() {}

  public static boolean isSecret(Header h) {
    return h.getSecret() || ALWAYS_SECRET.contains(h.getName().toLowerCase(Locale.ROOT));
  }

  /** The associated data a header value is sealed under: moving it to another job breaks it. */
  static String context(String namespace, String job, Header h) {
    return namespace + "/" + job + "#header:" + h.getName().toLowerCase(Locale.ROOT);
  }

  public static String signingContext(String namespace, String job) {
    return namespace + "/" + job + "#signing_secret";
  }
}
