package io.horae.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Free loopback ports for test clusters. */
public final class LoopbackPorts {
  private LoopbackPorts() {}

  /**
   * {@code n} distinct free ports: all are bound at once before any is released, so the system
   * cannot hand out the same port twice (which it may when ports are probed one at a time).
   */
  public static int[] distinct(int n) {
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : held) {
        try {
          s.close();
        } catch (IOException e) {
          // Closing a listening socket we own does not fail in practice; nothing to do.
        }
      }
    }
  }
}
