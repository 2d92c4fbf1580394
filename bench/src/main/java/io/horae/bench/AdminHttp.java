package io.horae.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GET requests to the nodes' admin HTTP ports (readiness, metrics), through one client for the whole bench. */
final class AdminHttp {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private AdminHttp() {}

  /** The response to GET {@code url}, or null when the node does not answer within {@code timeout}. */
  static <T> HttpResponse<T> get(String url, Duration timeout, HttpResponse.BodyHandler<T> body) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(), body);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
