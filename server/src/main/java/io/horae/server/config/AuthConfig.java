package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Who may call the public API and what each may do (docs/security.md, "Tokens and roles").
 *
 * @param enabled every call but health checks needs a bearer token or a client certificate that the
 *     token file lists, and the role its rule asks for
 * @param accessFile the token file (principals, token hashes or {@code cert}, grants)
 * @param reloadInterval how often a call may check the file for changes (at most once per period)
 * @param protectMetrics {@code /metrics} on the admin port needs a token of the file too
 */
public record AuthConfig(
    boolean enabled, String accessFile, Duration reloadInterval, boolean protectMetrics) {
  /**
   * On: a node needs {@code auth.accessFile}, and only {@code auth.enabled=false}, written out,
   * lets every caller in (logged at WARN at every start).
   */
  public static final boolean ENABLED_DEFAULT = true;

  public static final Duration RELOAD_INTERVAL_DEFAULT = Duration.ofSeconds(2);
  public static final boolean PROTECT_METRICS_DEFAULT = false;

  /**
   * No auth: only for configs built in code that say so (a file needs {@code auth.enabled=false}).
   */
  public static final AuthConfig OFF = new AuthConfig(false, "", RELOAD_INTERVAL_DEFAULT, false);

  public AuthConfig {
    Objects.requireNonNull(accessFile, "accessFile");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
  }
}
