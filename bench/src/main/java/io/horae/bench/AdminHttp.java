package io.horae.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * GET requests to the nodes' admin ports (readiness, metrics), through one client for the whole
 * bench. The ports serve HTTPS when the nodes run with TLS (admin.tls follows tls.enabled): the
 * client then trusts the cluster CA's certificates, and only those.
 */
final class AdminHttp {
  private final HttpClient http;
  /** Sent as a bearer token (a cluster with auth.protectMetrics); null for none. */
  private final String bearerToken;

  /**
   * @param caPem PEM of the CA certificates to trust for https URLs; null for the JDK's roots
   * @param bearerToken sent with every request; null for none
   * @throws IOException naming the file when it cannot be read or holds no certificate
   */
  AdminHttp(Path caPem, String bearerToken) throws IOException {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    if (caPem != null) {
      b.sslContext(trusting(caPem));
    }
    this.http = b.build();
    this.bearerToken = bearerToken;
  }

  /** The response to GET {@code url}, or null when the node does not answer within {@code timeout}. */
  <T> HttpResponse<T> get(String url, Duration timeout, HttpResponse.BodyHandler<T> body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    if (bearerToken != null) {
      request.header("Authorization", "Bearer " + bearerToken);
    }
    try {
      return http.send(request.build(), body);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** A TLS context that trusts exactly the certificates of this PEM file (a CA, or a bundle of them). */
  private static SSLContext trusting(Path caPem) throws IOException {
    try (InputStream in = Files.newInputStream(caPem)) {
      List<? extends Certificate> cas = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (cas.isEmpty()) {
        throw new IOException(caPem + ": holds no certificate");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, f.getTrustManagers(), null);
      return ssl;
    } catch (GeneralSecurityException e) {
      throw new IOException(caPem + ": cannot trust these certificates: " + e.getMessage(), e);
    }
  }
}
