package io.horae.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * GET requests to the nodes' admin ports (readiness, metrics), through one client for the whole
 * bench. The ports serve HTTPS when the nodes run with TLS (admin.tls follows tls.enabled): the
 * client then trusts the cluster CA's certificates, and only those, through a context made by the
 * caller (the bench knows no certificate code; see {@link CertMaker}).
 */
final class AdminHttp {
  private final HttpClient http;

  /** Sent as a bearer token (a cluster with auth.protectMetrics); null for none. */
  private final String bearerToken;

  /**
   * @param trust the TLS context for https URLs (trusting the cluster CA); null for the JDK's roots
   * @param bearerToken sent with every request; null for none
   */
  AdminHttp(SSLContext trust, String bearerToken) {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
    if (trust != null) {
      b.sslContext(trust);
    }
    this.http = b.build();
    this.bearerToken = bearerToken;
  }

  /**
   * The response to GET {@code url}, or null when the node does not answer within {@code timeout}.
   */
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
}
