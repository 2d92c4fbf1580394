package io.horae.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A node's gRPC address, {@code host:port} (or {@code [ipv6]:port}). Not part of the public API.
 *
 * @param host host name or IP address, without brackets
 * @param port TCP port, 1..65535
 */
public record Endpoint(String host, int port) {

  /**
   * Upper bound on endpoints per client: a cluster has 3 or 5 nodes, a list of more is a mistake.
   */
  public static final int ENDPOINTS_MAX = 32;

  /** Checks the host and port. */
  public Endpoint {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) {
      throw new IllegalArgumentException("endpoint host is empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint port " + port + " is not in 1..65535");
    }
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException naming the text when it is not of that form
   */
  public static Endpoint parse(String text) {
    String s = Objects.requireNonNull(text, "endpoint").strip();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException(
          "endpoint '" + text + "' is not host:port (for example localhost:7070)");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException(
          "endpoint '" + text + "' has an IPv6 address without brackets; write [addr]:port");
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "endpoint '" + text + "' has a port that is not a number", e);
    }
    try {
      return new Endpoint(host, port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses each element with {@link #parse}, skipping blank ones.
   *
   * @throws IllegalArgumentException when an element is malformed, none is given, or there are more
   *     than {@link #ENDPOINTS_MAX}
   */
  public static List<Endpoint> parseAll(List<String> texts) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (String text : texts) {
      if (text != null && !text.isBlank()) {
        endpoints.add(parse(text));
      }
    }
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("no endpoint given; expected host:port, ...");
    }
    if (endpoints.size() > ENDPOINTS_MAX) {
      throw new IllegalArgumentException(
          endpoints.size() + " endpoints given; at most " + ENDPOINTS_MAX + " are accepted");
    }
    return List.copyOf(endpoints);
  }

  /** Returns {@code host:port}, with brackets around an IPv6 host. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
