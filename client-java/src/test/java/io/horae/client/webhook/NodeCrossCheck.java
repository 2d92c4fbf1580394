package io.horae.client.webhook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code src/test/js/crosscheck.js}, which wraps the reference npm library {@code
 * standardwebhooks}, in a child {@code node} process: requests go in as one JSON array on stdin,
 * answers come back as one JSON array on stdout. The Maven build installs the library ({@code
 * npm-ci.sh}); a missing {@code node} fails the test with a line saying what to install.
 */
final class NodeCrossCheck {
  /** How long one node run may take; starting node and the library takes well under a second. */
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(30);

  private static final Path JS_DIR =
      Path.of(System.getProperty("basedir", "."), "src", "test", "js").toAbsolutePath();

  /** One answer object; the script writes them flat, with no nesting and no escaped quotes. */
  private static final Pattern ANSWER = Pattern.compile("\\{[^{}]*}");

  private final List<String> requests = new ArrayList<>();

  /** Queues a request for the library to sign; its answer holds {@code signature}. */
  NodeCrossCheck sign(String secret, String id, long timestampSeconds, byte[] body) {
    requests.add(
        "{\"op\":\"sign\",\"secret\":%s,\"id\":%s,\"timestamp\":%d,\"body\":%s}"
            .formatted(quote(secret), quote(id), timestampSeconds, quote(base64(body))));
    return this;
  }

  /** Queues a request for the library to verify; its answer holds {@code ok} and {@code error}. */
  NodeCrossCheck verify(String secret, Map<String, String> headers, byte[] body) {
    List<String> fields = new ArrayList<>();
    headers.forEach((name, value) -> fields.add(quote(name) + ":" + quote(value)));
    requests.add(
        "{\"op\":\"verify\",\"secret\":%s,\"headers\":{%s},\"body\":%s}"
            .formatted(quote(secret), String.join(",", fields), quote(base64(body))));
    return this;
  }

  /** Runs node once for all queued requests and returns the raw answer objects, in order. */
  List<String> run() throws IOException, InterruptedException {
    if (!Files.isDirectory(JS_DIR.resolve("node_modules").resolve("standardwebhooks"))) {
      throw new AssertionError(
          "standardwebhooks is not installed in "
              + JS_DIR
              + "/node_modules: build through Maven (it runs src/test/js/npm-ci.sh)");
    }
    Path out = Files.createTempFile("webhook-crosscheck", ".json");
    Path err = Files.createTempFile("webhook-crosscheck", ".err");
    try {
      Process node = start(out, err);
      try (var stdin = node.getOutputStream()) {
        stdin.write(("[" + String.join(",", requests) + "]").getBytes(StandardCharsets.UTF_8));
      }
      if (!node.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        node.destroyForcibly();
        throw new AssertionError("node crosscheck.js did not finish within " + RUN_TIMEOUT);
      }
      if (node.exitValue() != 0) {
        throw new AssertionError(
            "node crosscheck.js exited with " + node.exitValue() + ": " + Files.readString(err));
      }
      List<String> answers = new ArrayList<>();
      Matcher m = ANSWER.matcher(Files.readString(out));
      while (m.find()) {
        answers.add(m.group());
      }
      if (answers.size() != requests.size()) {
        throw new AssertionError(
            "expected " + requests.size() + " answers from node, got: " + Files.readString(out));
      }
      return answers;
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Process start(Path out, Path err) throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder("node", JS_DIR.resolve("crosscheck.js").toString())
            .directory(JS_DIR.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    try {
      return builder.start();
    } catch (IOException e) {
      throw new AssertionError(
          "node is not on the PATH: install Node.js 18 or newer to run the webhook cross-check", e);
    }
  }

  /** Returns the string value of a field in one answer, or {@code null} if absent. */
  static String field(String answer, String name) {
    Matcher m = Pattern.compile("\"" + name + "\":(\"([^\"]*)\"|true|false)").matcher(answer);
    if (!m.find()) {
      return null;
    }
    return m.group(2) != null ? m.group(2) : m.group(1);
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Quotes test strings as JSON; they are ASCII without quotes or backslashes, checked here. */
  private static String quote(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        throw new IllegalArgumentException("test strings must be plain ASCII: " + s);
      }
    }
    return "\"" + s + "\"";
  }
}
