package io.horae.server.egress;

import java.net.InetAddress;

/**
 * Says which {@link AddressClass} an IP address belongs to. Pure: looks at the address bytes only,
 * never resolves or connects, so it is tested exhaustively without a network.
 *
 * <p>IPv6 forms that carry an IPv4 address are judged by that address: IPv4-mapped (::ffff:0:0/96),
 * the SIIT form (::ffff:0:0:0/96), IPv4-compatible (::/96), the NAT64 well-known prefix
 * 64:ff9b::/96 and 6to4 (2002::/16). The mapped, NAT64 and 6to4 forms of a public IPv4 address are
 * public (an IPv6-only network with DNS64 reaches every IPv4 host that way); the deprecated
 * compatible and SIIT forms are refused even then, as nothing legitimate uses them.
 */
public final class AddressClassifier {
  private AddressClassifier() {}

  public static AddressClass classify(InetAddress address) {
    return classify(address.getAddress());
  }

  /** Classifies 4 (IPv4) or 16 (IPv6) address bytes. */
  public static AddressClass classify(byte[] a) {
    if (a.length == 4) {
      return v4(a[0] & 0xff, a[1] & 0xff, a[2] & 0xff, a[3] & 0xff);
    }
    if (a.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + a.length);
    }
    return v6(a);
  }

  private static AddressClass v4(int a, int b, int c, int d) {
    if (a == 0) {
      return AddressClass.UNSPECIFIED;
    }
    if (a == 127) {
      return AddressClass.LOOPBACK;
    }
    if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
      return AddressClass.PRIVATE;
    }
    if (a == 169 && b == 254) {
      return AddressClass.LINK_LOCAL;
    }
    if (a == 100 && (b & 0xc0) == 64) {
      return AddressClass.CGNAT;
    }
    if (a >= 224 && a <= 239) {
      return AddressClass.MULTICAST;
    }
    if (a == 255 && b == 255 && c == 255 && d == 255) {
      return AddressClass.BROADCAST;
    }
    boolean reserved =
        a >= 240 // 240.0.0.0/4, future use
            || (a == 192 && b == 0 && (c == 0 || c == 2)) // IETF protocol assignments, TEST-NET-1
            || (a == 192 && b == 88 && c == 99) // 6to4 relay anycast, deprecated (RFC 7526)
            || (a == 198 && (b & 0xfe) == 18) // benchmarking
            || (a == 198 && b == 51 && c == 100) // TEST-NET-2
            || (a == 203 && b == 0 && c == 113); // TEST-NET-3
    return reserved ? AddressClass.RESERVED : AddressClass.PUBLIC;
  }

  private static AddressClass v6(byte[] a) {
    if (zero(a, 0, 10)) {
      if (a[10] == (byte) 0xff && a[11] == (byte) 0xff) {
        return embedded(a, 12); // IPv4-mapped.
      }
      if (a[10] == 0 && a[11] == 0) {
        if (zero(a, 12, 15) && a[15] <= 1) {
          return a[15] == 0 ? AddressClass.UNSPECIFIED : AddressClass.LOOPBACK;
        }
        return deprecated(embedded(a, 12)); // IPv4-compatible.
      }
    }
    if (zero(a, 0, 8) && a[8] == (byte) 0xff && a[9] == (byte) 0xff && a[10] == 0 && a[11] == 0) {
      return deprecated(embedded(a, 12)); // SIIT IPv4-translated.
    }
    int w0 = word(a, 0);
    int w1 = word(a, 2);
    if (w0 == 0x64 && w1 == 0xff9b) {
      // 64:ff9b::/96 carries the IPv4 address in its last 32 bits; 64:ff9b:1::/48 is local-use.
      return zero(a, 4, 12) ? embedded(a, 12) : AddressClass.RESERVED;
    }
    if (w0 == 0x2002) {
      return embedded(a, 2); // 6to4.
    }
    if ((w0 & 0xffc0) == 0xfe80) {
      return AddressClass.LINK_LOCAL;
    }
    if ((w0 & 0xffc0) == 0xfec0) {
      return AddressClass.PRIVATE; // Site-local, the deprecated forerunner of unique-local.
    }
    if ((w0 & 0xfe00) == 0xfc00) {
      return AddressClass.UNIQUE_LOCAL;
    }
    if ((w0 & 0xff00) == 0xff00) {
      return AddressClass.MULTICAST;
    }
    boolean reserved =
        (w0 & 0xe000) != 0x2000 // outside global unicast 2000::/3
            || (w0 == 0x2001 && w1 < 0x200) // 2001::/23 IETF protocol assignments, Teredo included
            || (w0 == 0x2001 && w1 == 0x0db8) // documentation
            || (w0 == 0x3fff && (w1 & 0xf000) == 0); // 3fff::/20 documentation
    return reserved ? AddressClass.RESERVED : AddressClass.PUBLIC;
  }

  /** A deprecated IPv6 form of an IPv4 address: refused even when the address is public. */
  private static AddressClass deprecated(AddressClass embedded) {
    return embedded == AddressClass.PUBLIC ? AddressClass.RESERVED : embedded;
  }

  private static AddressClass embedded(byte[] a, int from) {
    return v4(a[from] & 0xff, a[from + 1] & 0xff, a[from + 2] & 0xff, a[from + 3] & 0xff);
  }

  private static int word(byte[] a, int at) {
    return ((a[at] & 0xff) << 8) | (a[at + 1] & 0xff);
  }

  private static boolean zero(byte[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
