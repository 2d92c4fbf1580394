package io.horae.chaos.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One direction of one link between two nodes: a TCP forwarder on 127.0.0.1 that the sending node
 * uses as the receiving node's address. While the link is cut, bytes stop moving both ways on every
 * connection through it and new connections are accepted but not forwarded, as when a network drops
 * packets: the peers see silence, not a reset, and whatever was in flight arrives after the link
 * heals (TCP would retransmit it). Connections and threads are bounded.
 */
final class LinkProxy implements AutoCloseable {
  static final int CONNECTIONS_MAX = 64;
  private static final int BUFFER_BYTES = 16 * 1024;

  private final String name;
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();

  /** Guarded by gate. */
  private boolean cut;

  private volatile boolean closed;

  LinkProxy(String name, InetSocketAddress target) throws IOException {
    this.name = name;
    this.target = target;
    this.server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().name("link-" + name).start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  void cut() {
    synchronized (gate) {
      cut = true;
    }
  }

  void heal() {
    synchronized (gate) {
      cut = false;
      gate.notifyAll();
    }
  }

  boolean isCut() {
    synchronized (gate) {
      return cut;
    }
  }

  /** Blocks while the link is cut; false once the proxy is closed. */
  private boolean awaitOpen() {
    synchronized (gate) {
      while (cut && !closed) {
        try {
          gate.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return !closed;
  }

  private void accept() {
    while (!closed) {
      Socket in;
      try {
        in = server.accept();
      } catch (IOException e) {
        return;
      }
      if (sockets.size() >= 2 * CONNECTIONS_MAX) {
        closeQuietly(in);
        continue;
      }
      sockets.add(in);
      Thread.ofVirtual().name("link-" + name + "-connect").start(() -> connect(in));
    }
  }

  private void connect(Socket in) {
    if (!awaitOpen()) {
      closeQuietly(in);
      return;
    }
    Socket out = new Socket();
    try {
      out.connect(target, 2_000);
    } catch (IOException e) {
      sockets.remove(in);
      closeQuietly(in);
      closeQuietly(out);
      return;
    }
    sockets.add(out);
    Thread.ofVirtual().name("link-" + name + "-up").start(() -> pump(in, out));
    Thread.ofVirtual().name("link-" + name + "-down").start(() -> pump(out, in));
  }

  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[BUFFER_BYTES];
    try {
      InputStream src = from.getInputStream();
      OutputStream dst = to.getOutputStream();
      while (awaitOpen()) {
        int n = src.read(buffer);
        if (n < 0 || !awaitOpen()) {
          break;
        }
        dst.write(buffer, 0, n);
      }
    } catch (IOException e) {
      // One side went away: close both.
    } finally {
      sockets.remove(from);
      sockets.remove(to);
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() {
    closed = true;
    heal();
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    sockets.forEach(LinkProxy::closeQuietly);
    sockets.clear();
  }
}
