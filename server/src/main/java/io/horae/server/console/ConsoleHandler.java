package io.horae.server.console;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console on the admin port (docs/console.md): {@code /console/} serves a few static files
 * from the jar (a page, its style and its script), {@code /console/api/*} answers JSON by calling
 * the public API with the browser's credentials ({@link ConsoleApi}, {@link ConsoleWatch}). It is
 * read-only: GET only. gRPC refusals become HTTP statuses with the API's message ({@link
 * #httpStatus}).
 */
public final class ConsoleHandler implements HttpHandler {
  public static final String PATH = "/console";
  static final String API_PREFIX = PATH + "/api/";

  static final Logger log = LoggerFactory.getLogger(ConsoleHandler.class);

  private static final JsonFormat.Printer JSON = JsonFormat.printer();

  /** The files of the console, by name: content type. Nothing else is served. */
  private static final Map<String, String> ASSETS =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "console.css", "text/css; charset=utf-8",
          "console.js", "text/javascript; charset=utf-8");

  /**
   * The page loads only its own script and style and talks only to its own origin; nobody may frame
   * it.
   */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Map<String, byte[]> files;
  private final ConsoleApi api;
  private final ConsoleWatch watch;

  /**
   * @param channel the public API in process ({@link ConsoleBackend#channel()})
   * @param requestTimeout the admin port's deadline of one request: calls and watch streams end
   *     before it
   */
  public ConsoleHandler(Channel channel, Duration requestTimeout) {
    // A margin under the deadline, so that a call's own error, not the admin port's cut, answers.
    Duration budget = requestTimeout.multipliedBy(8).dividedBy(10);
    this.api = new ConsoleApi(channel, budget);
    this.watch = new ConsoleWatch(api, budget);
    this.files = loadAssets();
  }

  private static Map<String, byte[]> loadAssets() {
    Map<String, byte[]> out = new java.util.HashMap<>();
    for (String name : ASSETS.keySet()) {
      try (InputStream in = ConsoleHandler.class.getResourceAsStream("/console/" + name)) {
        if (in == null) {
          throw new IllegalStateException(
              "console asset /console/" + name + " is missing from the jar");
        }
        out.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read console asset " + name, e);
      }
    }
    return Map.copyOf(out);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed");
      } else if (path.equals(PATH)) {
        exchange.getResponseHeaders().set("Location", PATH + "/");
        send(exchange, 302, "text/plain; charset=utf-8", "see " + PATH + "/");
      } else if (path.startsWith(API_PREFIX)) {
        api(exchange, path.substring(API_PREFIX.length()));
      } else {
        asset(exchange, path.substring(PATH.length() + 1));
      }
    } catch (IOException e) {
      // The browser went away mid-answer; nothing to repair.
      log.debug("console response failed path={} error={}", path, e.toString());
    }
  }

  private void asset(HttpExchange exchange, String name) throws IOException {
    String file = name.isEmpty() ? "index.html" : name;
    byte[] bytes = files.get(file);
    if (bytes == null) {
      send(exchange, 404, "text/plain; charset=utf-8", "not found");
      return;
    }
    exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    send(exchange, 200, ASSETS.get(file), bytes);
  }

  private void api(HttpExchange exchange, String name) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    try {
      Query q = Query.parse(exchange.getRequestURI().getRawQuery());
      if (name.equals("watch")) {
        watch.stream(exchange, q, authorization);
        return;
      }
      Optional<Message> reply = api.answer(name, q, authorization);
      if (reply.isEmpty()) {
        sendError(exchange, 404, "NOT_FOUND", "no console API " + name);
      } else {
        send(exchange, 200, "application/json; charset=utf-8", JSON.print(reply.get()));
      }
    } catch (StatusRuntimeException e) {
      Status s = e.getStatus();
      sendError(
          exchange,
          httpStatus(s.getCode()),
          s.getCode().name(),
          s.getDescription() == null ? s.getCode().name() : s.getDescription());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("console: a reply of " + name + " does not print as JSON", e);
    }
  }

  /** The HTTP status that tells a browser what the gRPC status tells a client. */
  static int httpStatus(Status.Code code) {
    return switch (code) {
      case OK -> 200;
      case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
      case UNAUTHENTICATED -> 401;
      case PERMISSION_DENIED -> 403;
      case NOT_FOUND -> 404;
      case ALREADY_EXISTS, ABORTED -> 409;
      case RESOURCE_EXHAUSTED -> 429;
      case UNIMPLEMENTED -> 501;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      case CANCELLED, UNKNOWN, INTERNAL, DATA_LOSS -> 500;
    };
  }

  private static void sendError(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    if (status == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
    }
    String body = "{\"code\":" + jsonString(code) + ",\"message\":" + jsonString(message) + "}";
    send(exchange, status, "application/json; charset=utf-8", body);
  }

  /** A JSON string literal of {@code s}. */
  static String jsonString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
