package io.horae.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free loopback ports for the local cluster, taken the way the server tests take theirs (server's
 * {@code LoopbackPorts}): every socket stays bound until all ports are chosen, so the system cannot
 * hand out the same port twice. Probing one port at a time (bind, close, bind again) once gave a
 * node the same port for its API and its Raft address ("peers.n1.api ... address already used by
 * peers.n1.raft"). The bench cannot use the server's test class, hence this copy.
 */
final class FreePorts {
  private FreePorts() {}

  /** {@code n} distinct ports that were free a moment ago on 127.0.0.1. */
  static int[] distinct(int n) {
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
      throw new UncheckedIOException("could not bind a free port on 127.0.0.1", e);
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
