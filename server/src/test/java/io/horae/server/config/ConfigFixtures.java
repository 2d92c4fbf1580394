package io.horae.server.config;

import java.util.Properties;

/** Smallest valid configs, for tests to start from and break one key at a time. */
final class ConfigFixtures {
  private ConfigFixtures() {}

  /** Node n1 of a three-node loopback cluster; everything else defaulted. */
  static Properties threeNodes() {
    Properties p = new Properties();
    p.setProperty("node.id", "n1");
    p.setProperty("node.dataDir", "/var/lib/horae/n1");
    for (int i = 0; i < 3; i++) {
      String id = "n" + (i + 1);
      p.putAll(PeerConfig.loopback(id, 7170 + i, 7070 + i, 7270 + i, 7370 + i).keys());
    }
    p.setProperty("tls.caFile", "/etc/horae/certs/ca.pem");
    p.setProperty("tls.certFile", "/etc/horae/certs/n1.pem");
    p.setProperty("tls.keyFile", "/etc/horae/certs/n1-key.pem");
    p.setProperty("auth.accessFile", "/etc/horae/certs/tokens");
    return p;
  }

  static Properties threeNodesWith(String key, String value) {
    Properties p = threeNodes();
    p.setProperty(key, value);
    return p;
  }
}
