package io.horae.server.node;

import org.slf4j.bridge.SLF4JBridgeHandler;

/** Routes java.util.logging (used by Ratis' shaded gRPC and cron-utils) into SLF4J, once. */
final class JulBridge {
  private JulBridge() {}

  static synchronized void install() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
