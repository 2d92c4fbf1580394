package io.horae.client;

import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import io.horae.api.v1.Target;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Network conditions on 127.0.0.1 for the client's tests against a real cluster: a port nobody
 * listens on, a listener that accepts and never answers, and a relay to a real node that loses the
 * node's answers. None of them speaks gRPC or knows the Horae API.
 */
final class Loopback {
  private Loopback() {}

  /** A valid job: one execution in 90 s to a target that is never reached within a test. */
  static Job job(String name) {
    return Job.newBuilder()
        .setName(name)
        .setSchedule(Schedule.newBuilder().setAfterMs(90_000))
        .setTarget(Target.newBuilder().setUrl("http://127.0.0.1:9/hook"))
        .build();
  }

  /**
   * An endpoint on which nothing listens (connection refused): a port that was free a moment ago.
   */
  static String deadEndpoint() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Accepts TCP connections and never writes a byte: a node that hangs. */
  static final class Silent implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    Silent() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  while (true) {
                    accepted.add(server.accept());
                  }
                } catch (IOException closed) {
                  // close() ends the loop
                }
              });
    }

    String endpoint() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  /**
   * Relays TCP connections to a real node and loses the node's answers to calls (HTTP/2 HEADERS or
   * DATA frames on a stream): the node has done the work, the caller never hears of it. Either the
   * connection is cut at the first answer, or it stays open and the answer never arrives.
   * Connection-level frames before it (SETTINGS, PING, WINDOW_UPDATE) pass, so the caller's
   * connection is established normally.
   */
  static final class AnswerLoss implements AutoCloseable {
    private static final int DATA = 0;
    private static final int HEADERS = 1;

    private final ServerSocket server;
    private final int targetPort;
    private final boolean cut;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private AnswerLoss(int port, String target, boolean cut) throws IOException {
      this.targetPort = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
      this.cut = cut;
      server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
      Thread.ofVirtual().start(this::acceptLoop);
    }

    /** On a free port: cuts the connection when the node answers. */
    static AnswerLoss cutting(String target) throws IOException {
      return new AnswerLoss(0, target, true);
    }

    /** On {@code port}: keeps the connection open and withholds every answer. */
    static AnswerLoss withholding(int port, String target) throws IOException {
      return new AnswerLoss(port, target, false);
    }

    String endpoint() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
      try {
        while (true) {
          Socket client = server.accept();
          Socket node = new Socket(InetAddress.getLoopbackAddress(), targetPort);
          sockets.add(client);
          sockets.add(node);
          Thread.ofVirtual().start(() -> pump(client, node));
          Thread.ofVirtual().start(() -> relayUntilAnswer(node, client));
        }
      } catch (IOException closed) {
        // close() ends the loop
      }
    }

    private static void pump(Socket from, Socket to) {
      try (InputStream in = from.getInputStream()) {
        in.transferTo(to.getOutputStream());
      } catch (IOException e) {
        // either side closed
      } finally {
        closeQuietly(from, to);
      }
    }

    private void relayUntilAnswer(Socket node, Socket client) {
      boolean withheld = false;
      try {
        DataInputStream in = new DataInputStream(node.getInputStream());
        OutputStream out = client.getOutputStream();
        byte[] header = new byte[9];
        while (true) {
          in.readFully(header);
          int length = (header[0] & 0xff) << 16 | (header[1] & 0xff) << 8 | (header[2] & 0xff);
          int type = header[3] & 0xff;
          int stream =
              ((header[5] & 0x7f) << 24)
                  | (header[6] & 0xff) << 16
                  | (header[7] & 0xff) << 8
                  | (header[8] & 0xff);
          byte[] payload = in.readNBytes(length);
          if (stream != 0 && (type == HEADERS || type == DATA)) {
            withheld = !cut; // open until close(), or cut by the finally block
            return;
          }
          out.write(header);
          out.write(payload);
          out.flush();
        }
      } catch (IOException e) {
        // either side closed
      } finally {
        if (!withheld) {
          closeQuietly(node, client);
        }
      }
    }

    private static void closeQuietly(Socket... sockets) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      closeQuietly(sockets.toArray(Socket[]::new));
    }
  }
}
