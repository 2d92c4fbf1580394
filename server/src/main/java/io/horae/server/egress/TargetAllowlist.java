package io.horae.server.egress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an operator opens past the target guard ({@code webhook.targetAllow}): networks, and host
 * names whose every resolved address is then trusted. Names match exactly (case aside, a trailing
 * dot aside); there are no wildcards, so the list opens exactly what it names.
 *
 * @param networks addresses and networks, e.g. 127.0.0.1/32, 10.20.0.0/16, fd00::/8
 * @param hosts lower-case host names, e.g. hooks.internal.example
 */
public record TargetAllowlist(List<Cidr> networks, List<String> hosts) {
  public static final TargetAllowlist NONE = new TargetAllowlist(List.of(), List.of());

  /** Dot-separated labels of letters, digits, '-' and '_' (internal names sometimes carry '_'). */
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");

  public TargetAllowlist {
    networks = List.copyOf(networks);
    hosts = List.copyOf(hosts);
  }

  /**
   * Parses a comma-separated list; blanks around entries are ignored and an empty text allows
   * nothing.
   *
   * @throws IllegalArgumentException naming the first bad entry and the accepted forms
   */
  public static TargetAllowlist parse(String text) {
    if (text.isBlank()) {
      return NONE;
    }
    List<Cidr> networks = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        throw new IllegalArgumentException(
            "holds an empty entry; separate entries with single commas");
      }
      if (entry.indexOf('/') >= 0 || IpLiterals.takenAsAddress(entry)) {
        networks.add(Cidr.parse(entry));
        continue;
      }
      String host = hostKey(entry);
      if (host.indexOf('*') >= 0) {
        throw new IllegalArgumentException(
            entry + ": wildcards are not accepted; name each host, or allow its network as a CIDR");
      }
      if (!HOST_NAME.matcher(host).matches()) {
        throw new IllegalArgumentException(
            entry
                + " is neither a CIDR (a.b.c.d/n, x::/n), an IP address nor a host name (ASCII; give IDN names in xn-- form)");
      }
      hosts.add(host);
    }
    return new TargetAllowlist(networks, hosts);
  }

  /**
   * Whether a connection to {@code address} for a URL naming {@code host} is opened by this list.
   */
  public boolean allows(String host, InetAddress address) {
    if (!hosts.isEmpty() && hosts.contains(hostKey(host))) {
      return true;
    }
    for (Cidr c : networks) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** In config syntax: the entries, comma-separated, networks first. */
  public String format() {
    List<String> all = new ArrayList<>();
    networks.forEach(n -> all.add(n.toString()));
    all.addAll(hosts);
    return String.join(",", all);
  }

  /** A host name as compared: lower case, without the trailing dot of a fully qualified name. */
  private static String hostKey(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
