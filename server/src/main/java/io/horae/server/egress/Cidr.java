package io.horae.server.egress;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IPv4 or IPv6 network, {@code address/prefixBits}. An IPv4 network never matches an IPv6
 * address, mapped forms included: the JDK hands IPv4-mapped addresses over as IPv4 already.
 */
public record Cidr(byte[] network, int prefixBits) {
  public Cidr {
    network = network.clone();
  }

  @Override
  public byte[] network() {
    return network.clone();
  }

  /**
   * Parses {@code 10.0.0.0/8}, {@code fd00::/8}, or a single address ({@code 127.0.0.1} is {@code
   * 127.0.0.1/32}).
   *
   * @throws IllegalArgumentException naming the rule the text breaks
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    Optional<InetAddress> address = IpLiterals.parse(addressText);
    if (address.isEmpty()) {
      throw new IllegalArgumentException(
          text + " is not an IP address or network (a.b.c.d/n or x::/n)");
    }
    byte[] bytes = address.get().getAddress();
    int bits = bytes.length * 8;
    int prefix = bits;
    if (slash >= 0) {
      String p = text.substring(slash + 1);
      if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > bits) {
        throw new IllegalArgumentException(text + ": the prefix length must be 0 to " + bits);
      }
      prefix = Integer.parseInt(p);
    }
    Cidr cidr = new Cidr(bytes, prefix);
    if (!Arrays.equals(cidr.masked(bytes), bytes)) {
      throw new IllegalArgumentException(
          text
              + " has bits set past its prefix; the network is "
              + new Cidr(cidr.masked(bytes), prefix));
    }
    return cidr;
  }

  /** Whether {@code address} lies in this network. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    return a.length == network.length && Arrays.equals(masked(a), network);
  }

  private byte[] masked(byte[] a) {
    byte[] out = new byte[a.length];
    for (int i = 0; i < a.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixBits - 8 * i));
      out[i] = (byte) (a[i] & (0xff << (8 - keep)));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefixBits == prefixBits && Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefixBits;
  }

  /** In config syntax: {@code 10.0.0.0/8}, {@code fd00:0:0:0:0:0:0:0/8}. */
  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixBits;
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes always make an address", e);
    }
  }
}
