package io.horae.server.egress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every range the target guard refuses, at its edges and inside, and the public neighbours on
 * either side, in IPv4 and in each IPv6 form that carries an IPv4 address. Addresses are built from
 * their bytes: nothing is resolved and no connection is opened.
 */
class AddressClassifierTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0.0.0.0           | UNSPECIFIED
          0.255.255.255     | UNSPECIFIED
          1.0.0.0           | PUBLIC
          9.255.255.255     | PUBLIC
          10.0.0.0          | PRIVATE
          10.255.255.255    | PRIVATE
          11.0.0.0          | PUBLIC
          100.63.255.255    | PUBLIC
          100.64.0.0        | CGNAT
          100.100.100.200   | CGNAT
          100.127.255.255   | CGNAT
          100.128.0.0       | PUBLIC
          126.255.255.255   | PUBLIC
          127.0.0.1         | LOOPBACK
          127.255.255.254   | LOOPBACK
          128.0.0.0         | PUBLIC
          169.253.255.255   | PUBLIC
          169.254.0.0       | LINK_LOCAL
          169.254.169.254   | LINK_LOCAL
          169.254.255.255   | LINK_LOCAL
          169.255.0.0       | PUBLIC
          172.15.255.255    | PUBLIC
          172.16.0.0        | PRIVATE
          172.31.255.255    | PRIVATE
          172.32.0.0        | PUBLIC
          192.0.0.8         | RESERVED
          192.0.1.1         | PUBLIC
          192.0.2.1         | RESERVED
          192.88.99.1       | RESERVED
          192.167.255.255   | PUBLIC
          192.168.0.0       | PRIVATE
          192.168.255.255   | PRIVATE
          192.169.0.0       | PUBLIC
          198.17.255.255    | PUBLIC
          198.18.0.0        | RESERVED
          198.19.255.255    | RESERVED
          198.20.0.0        | PUBLIC
          198.51.100.7      | RESERVED
          203.0.113.7       | RESERVED
          8.8.8.8           | PUBLIC
          223.255.255.255   | PUBLIC
          224.0.0.0         | MULTICAST
          239.255.255.255   | MULTICAST
          240.0.0.0         | RESERVED
          255.255.255.254   | RESERVED
          255.255.255.255   | BROADCAST
          ::                | UNSPECIFIED
          ::1               | LOOPBACK
          ::2               | UNSPECIFIED
          ::127.0.0.1       | LOOPBACK
          ::10.0.0.1        | PRIVATE
          ::8.8.8.8         | RESERVED
          ::ffff:127.0.0.1  | LOOPBACK
          ::ffff:10.1.2.3   | PRIVATE
          ::ffff:169.254.169.254 | LINK_LOCAL
          ::ffff:100.64.0.1 | CGNAT
          ::ffff:0.0.0.0    | UNSPECIFIED
          ::ffff:8.8.8.8    | PUBLIC
          ::ffff:0:127.0.0.1 | LOOPBACK
          ::ffff:0:8.8.8.8  | RESERVED
          64:ff9b::127.0.0.1 | LOOPBACK
          64:ff9b::10.0.0.1 | PRIVATE
          64:ff9b::169.254.169.254 | LINK_LOCAL
          64:ff9b::8.8.8.8  | PUBLIC
          64:ff9b:1::8.8.8.8 | RESERVED
          2002:7f00:1::1    | LOOPBACK
          2002:a00:1::1     | PRIVATE
          2002:a9fe:a9fe::1 | LINK_LOCAL
          2002:808:808::1   | PUBLIC
          2001::1           | RESERVED
          2001:0:4136:e378:8000:63bf:3fff:fdd2 | RESERVED
          2001:1ff:ffff::1  | RESERVED
          2001:200::1       | PUBLIC
          2001:db8::1       | RESERVED
          2001:4860:4860::8888 | PUBLIC
          2606:4700::1111   | PUBLIC
          3fff::1           | RESERVED
          3fff:fff::1       | RESERVED
          3fff:1000::1      | PUBLIC
          3ffe::1           | PUBLIC
          1fff:ffff::1      | RESERVED
          4000::1           | RESERVED
          100::1            | RESERVED
          5f00::1           | RESERVED
          fc00::1           | UNIQUE_LOCAL
          fd00:ec2::254     | UNIQUE_LOCAL
          fdff:ffff::1      | UNIQUE_LOCAL
          fe00::1           | RESERVED
          fe80::1           | LINK_LOCAL
          febf:ffff::1      | LINK_LOCAL
          fec0::1           | PRIVATE
          feff::1           | PRIVATE
          ff00::1           | MULTICAST
          ff02::1           | MULTICAST
          ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | MULTICAST
          """)
  void everyAddressFallsInItsClass(String text, AddressClass expected) {
    InetAddress address = IpLiterals.parse(text).orElseThrow();
    assertThat(AddressClassifier.classify(address)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"fe80::1%1", "[::ffff:7f00:1]", "[fe80::1]"})
  void bracketsAndZoneIdsDoNotHideTheClass(String text) {
    assertThat(AddressClassifier.classify(IpLiterals.parse(text).orElseThrow()))
        .isNotEqualTo(AddressClass.PUBLIC);
  }
}
