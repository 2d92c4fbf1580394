package io.horae.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Who may call the public API and what each may do (docs/security.md, "Tokens and roles").
 *
 * @param enabled every call but health checks needs a bearer token or a client certificate that
 *     the token file lists, and the role its rule asks for
 * @param accessFile the token file (principals, token hashes or {@code cert}, grants)
 * @param reloadInterval how often a call may check the file for changes (at most once per period)
 * @param protectMetrics {@code /metrics} on the admin port needs a token of the file too
 */
public record AuthConfig(boolean enabled, String accessFile, Duration reloadInterval, boolean protectMetrics) {
  /**
   * Off in code until every harness presents credentials; the sample configs and {@code horae
   * dev} turn it on (docs/security.md, "Still open").
   */
  public static final boolean ENABLED_DEFAULT = false;
  public static final Duration RELOAD_INTERVAL_DEFAULT = Duration.ofSeconds(2);
  public static final boolean PROTECT_METRICS_DEFAULT = false;
  public static final AuthConfig OFF = new AuthConfig(false, "", RELOAD_INTERVAL_DEFAULT, false);

  public AuthConfig {
    Objects.requireNonNull(accessFile, "accessFile");
    Objects.requireNonNull(reloadInterval, "reloadInterval");
  }
}
