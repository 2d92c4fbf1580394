package io.horae.server.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host name or IP literal plus a TCP port. IPv6 literals are held without brackets and printed
 * with them. Port 0 (ephemeral) is allowed here for binding in tests; peer addresses in a config
 * file must use 1..65535.
 */
public record HostPort(String host, int port) {
  public static final int PORT_MAX = 65_535;

  private static final Pattern NAME_OR_IPV4 =
      Pattern.compile("([A-Za-z0-9._-]{1,253}):([0-9]{1,5})");
  private static final Pattern BRACKETED_IPV6 =
      Pattern.compile("\\[([0-9A-Fa-f:.]{2,45})]:([0-9]{1,5})");

  public HostPort {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank");
    }
    if (port < 0 || port > PORT_MAX) {
      throw new IllegalArgumentException(
          "port must be between 0 and " + PORT_MAX + ", got " + port);
    }
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}. Host names are lower-cased, since they are
   * case-insensitive and addresses are compared for duplicates.
   *
   * @throws IllegalArgumentException with the rule as its message when the text is malformed
   */
  public static HostPort parse(String text) {
    Matcher m = NAME_OR_IPV4.matcher(text);
    if (!m.matches()) {
      m = BRACKETED_IPV6.matcher(text);
    }
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "must be host:port (IPv6 as [addr]:port), e.g. 127.0.0.1:7170");
    }
    int port = Integer.parseInt(m.group(2));
    if (port > PORT_MAX) {
      throw new IllegalArgumentException("port must be between 1 and " + PORT_MAX);
    }
    return new HostPort(m.group(1).toLowerCase(Locale.ROOT), port);
  }

  /** Returns {@code host:port}, or {@code [host]:port} for an IPv6 literal. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
