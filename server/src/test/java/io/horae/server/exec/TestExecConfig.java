package io.horae.server.exec;

import io.horae.server.config.ConfigException;
import io.horae.server.config.ConfigLoader;
import io.horae.server.config.ExecConfig;
import java.util.Properties;

/** Executor configs for tests that run parts of the executor without a node. */
final class TestExecConfig {
  private TestExecConfig() {}

  /**
   * The defaults, but for the given keys and values (pairs, e.g. "exec.dispatchConcurrency", "1").
   */
  static ExecConfig with(String... keysAndValues) {
    Properties p = new Properties();
    p.setProperty("node.id", "n1");
    p.setProperty("node.dataDir", "/tmp/unused");
    p.setProperty("peers.n1.raft", "127.0.0.1:1");
    p.setProperty("peers.n1.api", "127.0.0.1:2");
    p.setProperty("peers.n1.admin", "127.0.0.1:3");
    p.setProperty("peers.n1.internal", "127.0.0.1:4");
    // No node starts from this config: only its exec section is used.
    p.setProperty("tls.enabled", "false");
    p.setProperty("auth.enabled", "false");
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    try {
      return ConfigLoader.fromProperties(p).exec();
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
