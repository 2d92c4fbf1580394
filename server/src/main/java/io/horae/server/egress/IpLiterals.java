package io.horae.server.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** IP address literals, parsed without ever asking a resolver. */
public final class IpLiterals {
  /** What OkHttp takes for an IP address and connects to without asking its Dns. */
  private static final Pattern TAKEN_AS_ADDRESS =
      Pattern.compile("[0-9a-fA-F]*:[0-9a-fA-F:.]*|[0-9.]+");

  /** Four decimal octets without leading zeros (a leading zero means octal to some parsers). */
  private static final Pattern DOTTED_QUAD =
      Pattern.compile(
          "(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");

  /** IPv6 text, optionally with a zone id; checked before the JDK parses it. */
  private static final Pattern V6 = Pattern.compile("[0-9a-fA-F:.]+(%[0-9A-Za-z_.-]+)?");

  private IpLiterals() {}

  /**
   * Whether an HTTP client would treat {@code host} as an address rather than a name: any host with
   * a colon, or made of digits and dots only ("127.1" and "2130706433" included, which some parsers
   * read as 127.0.0.1).
   */
  public static boolean takenAsAddress(String host) {
    String h = unbracketed(host);
    return TAKEN_AS_ADDRESS.matcher(h).matches();
  }

  /**
   * The address of a plain literal: a dotted quad, or IPv6 with or without brackets. Empty for
   * anything else, shorthand forms such as "127.1" included. Never resolves a name.
   */
  public static Optional<InetAddress> parse(String host) {
    String h = unbracketed(host);
    Matcher quad = DOTTED_QUAD.matcher(h);
    try {
      if (quad.matches()) {
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(quad.group(i + 1));
          if (octet > 255) {
            return Optional.empty();
          }
          b[i] = (byte) octet;
        }
        return Optional.of(InetAddress.getByAddress(b));
      }
      if (h.indexOf(':') >= 0 && V6.matcher(h).matches()) {
        // In brackets the JDK parses the text as an IPv6 literal or fails; it never resolves it.
        return Optional.of(InetAddress.getByName("[" + h + "]"));
      }
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String unbracketed(String host) {
    return host.length() > 2 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1)
        : host;
  }
}
