package io.horae.server.exec;

import java.util.Optional;
import okhttp3.HttpUrl;

/**
 * The key a target host is known by in per-host limits, breakers and admission: {@code
 * scheme://host:port} of a webhook URL (docs/host-protection.md).
 */
public final class TargetHosts {
  private TargetHosts() {}

  /** scheme://host:port of a URL, or empty when it does not parse (the request then fails). */
  public static Optional<String> of(String url) {
    HttpUrl parsed = url == null ? null : HttpUrl.parse(url);
    return parsed == null
        ? Optional.empty()
        : Optional.of(parsed.scheme() + "://" + parsed.host() + ":" + parsed.port());
  }
}
