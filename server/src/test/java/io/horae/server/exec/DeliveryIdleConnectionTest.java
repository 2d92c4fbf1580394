package io.horae.server.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.horae.api.v1.Job;
import io.horae.api.v1.Target;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A receiver that closes a keep-alive connection once it has been idle for a while, without a word
 * to the client (Node.js and Apache httpd do after 5 s), does not fail the next call: idle
 * connections leave the node's pool sooner (exec.idleConnectionTimeout, docs/delivery.md
 * "Connections"). With the pool's old five minutes the second call below failed with "unexpected
 * end of stream".
 */
class DeliveryIdleConnectionTest {
  /** The receiver closes a connection idle this long. */
  private static final int RECEIVER_IDLE_CLOSE_MS = 500;

  @Test
  void aCallAfterTheReceiverClosedAnIdleConnectionSucceedsAtItsFirstTry() throws Exception {
    try (ClosingReceiver receiver = new ClosingReceiver();
        Delivery delivery =
            TestDeliveries.toLoopback(
                TestExecConfig.with("exec.idleConnectionTimeout", "200ms"), c -> FenceCheck.GO)) {
      Job job =
          Job.newBuilder()
              .setName("idle")
              .setTarget(Target.newBuilder().setUrl(receiver.url()))
              .build();

      Outcome first = delivery.send(job, held(1)).get(10, TimeUnit.SECONDS);
      assertThat(first.succeeded()).as("first call %s", first).isTrue();
      // The connection the first call used is gone on the receiver's side: it was idle.
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.closed.get() >= 1);

      Outcome second = delivery.send(job, held(2)).get(10, TimeUnit.SECONDS);
      assertThat(second.succeeded()).as("second call %s", second).isTrue();
      assertThat(receiver.answered.get()).isEqualTo(2);
    }
  }

  private static Held held(int n) {
    return new Held("default/idle@" + n, "default", "idle", n, n, 1, 0, 1);
  }

  /**
   * An HTTP/1.1 receiver on loopback that answers 200 to every request and closes a connection,
   * without {@code Connection: close}, once no request came on it for {@link
   * #RECEIVER_IDLE_CLOSE_MS}.
   */
  private static final class ClosingReceiver implements AutoCloseable {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private final ServerSocket server;
    private final Thread acceptor;

    ClosingReceiver() throws IOException {
      server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
      acceptor = Thread.ofPlatform().daemon().name("closing-receiver").start(this::accept);
    }

    String url() {
      return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread.ofPlatform().daemon().name("closing-receiver-conn").start(() -> serve(s));
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    private void serve(Socket socket) {
      try (socket) {
        socket.setSoTimeout(RECEIVER_IDLE_CLOSE_MS);
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        while (true) {
          int length = readHead(in);
          if (length < 0) {
            return; // the client closed it
          }
          in.readNBytes(length);
          // Counted before the answer goes out: counted after it, the client could see the
          // answer, and the test the count, first (a clean-clone CI run: expected 2, was 1).
          answered.incrementAndGet();
          out.write(
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (SocketTimeoutException idle) {
        // idle too long: closed below, without telling the client
      } catch (IOException e) {
        // the client went away
      } finally {
        closed.incrementAndGet();
      }
    }

    /** Reads a request's head; its Content-Length, or -1 at the end of the stream. */
    private static int readHead(InputStream in) throws IOException {
      StringBuilder line = new StringBuilder();
      int length = 0;
      boolean any = false;
      for (int b = in.read(); b >= 0; b = in.read()) {
        any = true;
        if (b != '\n') {
          line.append((char) b);
          continue;
        }
        String l = line.toString().trim();
        line.setLength(0);
        if (l.isEmpty()) {
          return length;
        }
        if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(l.substring(15).trim());
        }
      }
      if (any) {
        throw new IOException("the request's head ended early");
      }
      return -1;
    }

    @Override
    public void close() throws IOException {
      server.close();
      try {
        acceptor.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
