package io.horae.cli.common;

import io.horae.client.HoraeClient;
import io.horae.client.internal.Transport;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How a command reaches the cluster, resolved setting by setting: a flag wins, then an environment
 * variable ({@code HORAE_ENDPOINTS}, {@code HORAE_CA}, {@code HORAE_CERT}, {@code HORAE_KEY},
 * {@code HORAE_PLAINTEXT=true}, {@code HORAE_TOKEN_FILE} then {@code HORAE_TOKEN}), then the
 * context ({@code --context}, {@code HORAE_CONTEXT} or the file's current one), then the default
 * ({@code localhost:7070}, TLS with the JDK's roots, no token). Asking for plaintext by flag or
 * environment drops the context's TLS files, not its token.
 *
 * @param context the name of the context used, if any
 * @param token where the bearer token comes from, if any; read only when a client is built
 */
public record ClientSettings(
    String endpoints,
    Path ca,
    Path cert,
    Path key,
    boolean plaintext,
    Optional<String> context,
    Optional<TokenSource> token) {

  /** What the command line gave; null (or false) where it gave nothing. */
  public record Flags(
      String endpoints,
      Path ca,
      Path cert,
      Path key,
      boolean plaintext,
      String context,
      Path tokenFile) {
    /** Flags without --token-file. */
    public Flags(
        String endpoints, Path ca, Path cert, Path key, boolean plaintext, String context) {
      this(endpoints, ca, cert, key, plaintext, context, null);
    }
  }

  /**
   * Resolves the settings.
   *
   * @throws ContextException when the named or current context is not in the file
   */
  public static ClientSettings resolve(Flags flags, Map<String, String> env, ContextFile file) {
    return resolve(flags, new Invocation(env, null, InputStream.nullInputStream()), file);
  }

  /**
   * Resolves the settings of a run; relative paths from the environment or the context file are the
   * caller's, as those from flags.
   *
   * @throws ContextException when the named or current context is not in the file
   */
  public static ClientSettings resolve(Flags flags, Invocation invocation, ContextFile file) {
    Map<String, String> env = invocation.env();
    Optional<String> name =
        Optional.ofNullable(
            first(flags.context(), env.get("HORAE_CONTEXT"), file.current().orElse(null)));
    Context ctx =
        name.map(
                n ->
                    file.get(n)
                        .orElseThrow(
                            () ->
                                new ContextException(
                                    "no context named "
                                        + n
                                        + " in "
                                        + file.path()
                                        + "; known: "
                                        + file.contexts().keySet())))
            .orElse(new Context("", null, null, null, null, null));
    boolean plaintextAsked = flags.plaintext() || "true".equals(env.get("HORAE_PLAINTEXT"));
    Context fromFile =
        plaintextAsked ? new Context(ctx.name(), ctx.endpoints(), null, null, null, true) : ctx;
    Path ca = invocation.resolve(first(flags.ca(), path(env.get("HORAE_CA")), fromFile.ca()));
    Path cert =
        invocation.resolve(first(flags.cert(), path(env.get("HORAE_CERT")), fromFile.cert()));
    Path key = invocation.resolve(first(flags.key(), path(env.get("HORAE_KEY")), fromFile.key()));
    boolean plaintext =
        plaintextAsked || (Boolean.TRUE.equals(fromFile.plaintext()) && ca == null && cert == null);
    String endpoints =
        first(
            flags.endpoints(),
            env.get("HORAE_ENDPOINTS"),
            ctx.endpoints(),
            HoraeClient.DEFAULT_ENDPOINT);
    return new ClientSettings(
        endpoints, ca, cert, key, plaintext, name, token(flags, invocation, ctx, file));
  }

  /**
   * --token-file, then HORAE_TOKEN_FILE, then HORAE_TOKEN, then the context's tokenFile or token.
   */
  private static Optional<TokenSource> token(
      Flags flags, Invocation invocation, Context ctx, ContextFile file) {
    Map<String, String> env = invocation.env();
    if (flags.tokenFile() != null) {
      return Optional.of(TokenSource.file("--token-file", invocation.resolve(flags.tokenFile())));
    }
    if (path(env.get("HORAE_TOKEN_FILE")) != null) {
      return Optional.of(
          TokenSource.file(
              "HORAE_TOKEN_FILE", invocation.resolve(path(env.get("HORAE_TOKEN_FILE")))));
    }
    String inline = env.get("HORAE_TOKEN");
    if (inline != null && !inline.isBlank()) {
      return Optional.of(TokenSource.inline("HORAE_TOKEN", inline));
    }
    String key = "context." + ctx.name() + ".";
    if (ctx.tokenFile() != null) {
      return Optional.of(
          TokenSource.file(
              key + "tokenFile of " + file.path(), invocation.resolve(ctx.tokenFile())));
    }
    return Optional.ofNullable(ctx.token())
        .map(t -> TokenSource.inline(key + "token of " + file.path(), t));
  }

  /**
   * A builder with these settings, the token read now; its build() names a file that cannot be
   * read.
   *
   * @throws ContextException naming where the token should come from when it cannot be read
   */
  public HoraeClient.Builder builder() {
    HoraeClient.Builder b = HoraeClient.builder().endpoints(endpoints);
    token.ifPresent(t -> b.bearerToken(t.read()));
    if (plaintext) {
      b.usePlaintext();
    }
    if (ca != null) {
      b.trustCertificates(ca);
    }
    if (cert != null || key != null) {
      if (cert == null || key == null) {
        throw new IllegalArgumentException(
            Transport.PREFIX + "a client certificate needs both --cert and --key");
      }
      b.clientCertificate(cert, key);
    }
    return b;
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) {
      if (v != null && !(v instanceof String s && s.isBlank())) {
        return v;
      }
    }
    return null;
  }

  private static Path path(String value) {
    return value == null || value.isBlank() ? null : Path.of(value);
  }
}
