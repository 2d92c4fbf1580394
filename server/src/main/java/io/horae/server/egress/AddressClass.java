package io.horae.server.egress;

/**
 * What kind of address a webhook target resolves to. Every class but {@link #PUBLIC} is refused
 * unless the node's allowlist ({@code webhook.targetAllow}) names it: each one reaches something
 * inside the node's own network, or nothing legitimate on the internet (docs/security.md).
 */
public enum AddressClass {
  PUBLIC("public", "a public"),
  /** 127.0.0.0/8, ::1. */
  LOOPBACK("loopback", "a loopback"),
  /** 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918), and the deprecated fec0::/10. */
  PRIVATE("private", "a private"),
  /** 169.254.0.0/16 (cloud metadata services live here), fe80::/10. */
  LINK_LOCAL("link_local", "a link-local"),
  /** 100.64.0.0/10, shared address space of carrier-grade NAT (RFC 6598). */
  CGNAT("cgnat", "a carrier-grade NAT"),
  /** fc00::/7 (RFC 4193). */
  UNIQUE_LOCAL("unique_local", "a unique-local"),
  /** 224.0.0.0/4, ff00::/8. */
  MULTICAST("multicast", "a multicast"),
  /** 0.0.0.0/8 ("this network": Linux connects 0.0.0.0 to the host itself), ::. */
  UNSPECIFIED("unspecified", "an unspecified"),
  /** 255.255.255.255. */
  BROADCAST("broadcast", "a broadcast"),
  /**
   * Special-purpose blocks that are not globally reachable (documentation, benchmarking, IETF
   * protocol assignments, 240.0.0.0/4, Teredo, local-use NAT64, deprecated IPv4-compatible IPv6)
   * and any IPv6 address outside global unicast 2000::/3.
   */
  RESERVED("reserved", "a reserved");

  private final String tag;
  private final String article;

  AddressClass(String tag, String article) {
    this.tag = tag;
    this.article = article;
  }

  /** The metric tag and the word used in refusals, e.g. {@code link_local}. */
  public String tag() {
    return tag;
  }

  /** For messages: "a loopback address", "an unspecified address". */
  public String described() {
    return article + " address";
  }
}
