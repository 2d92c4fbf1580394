package io.horae.chaos.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A link forwards bytes both ways, goes silent while cut, and delivers what waited once healed. */
class LinkProxyTest {
  @Test
  void aCutLinkIsSilentAndDeliversWhatWaitedOnceHealed() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> server = CompletableFuture.runAsync(() -> echoOnce(echo));
      try (LinkProxy link =
              new LinkProxy(
                  "a>b",
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()));
          Socket client = new Socket(InetAddress.getLoopbackAddress(), link.port())) {
        client.setSoTimeout(2_000);
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        out.write('x');
        assertThat(in.read()).isEqualTo('x');

        link.cut();
        out.write('y');
        client.setSoTimeout(300);
        assertThat(readOrTimeout(in)).as("nothing comes back while cut").isEqualTo(-2);

        link.heal();
        client.setSoTimeout(2_000);
        assertThat(in.read())
            .as("the byte sent during the cut arrives after the heal")
            .isEqualTo('y');
      }
      server.get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aConnectionOpenedWhileCutReachesTheTargetOnlyAfterTheHeal() throws Exception {
    try (ServerSocket target = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        LinkProxy link =
            new LinkProxy(
                "a>b",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getLocalPort()))) {
      link.cut();
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), link.port())) {
        target.setSoTimeout(300);
        assertThat(acceptOrTimeout(target))
            .as("no connection reaches the target while cut")
            .isFalse();
        link.heal();
        target.setSoTimeout(2_000);
        assertThat(acceptOrTimeout(target)).isTrue();
      }
    }
  }

  private static void echoOnce(ServerSocket server) {
    try (Socket s = server.accept()) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      for (int i = 0; i < 2; i++) {
        int b = in.read();
        if (b < 0) {
          return;
        }
        out.write(b);
        out.flush();
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The byte read, -1 at end of stream, -2 on timeout. */
  private static int readOrTimeout(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketTimeoutException e) {
      return -2;
    }
  }

  private static boolean acceptOrTimeout(ServerSocket server) throws IOException {
    try (Socket s = server.accept()) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }
}
