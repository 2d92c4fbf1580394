package io.horae.cli.common;

import io.horae.server.tls.PrivateFiles;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLI's context file (docs/security.md, "CLI contexts"): a properties file holding {@code
 * current-context=NAME} and {@code context.NAME.endpoints|ca|cert|key|plaintext|tokenFile|token}.
 * Its place is {@code --horaeconfig}, else {@code $HORAE_CONFIG}, else {@code
 * $XDG_CONFIG_HOME/horae/config}, else {@code ~/.config/horae/config}. A missing file is an empty
 * one. Written owner-only (0600). A token written in the file itself ({@code token}) is accepted
 * only while nobody but the owner may read the file; {@code tokenFile} is the preferred way.
 */
public final class ContextFile {
  static final String CURRENT = "current-context";
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern KEY =
      Pattern.compile(
          "context\\.([A-Za-z0-9._-]{1,64})\\.(endpoints|ca|cert|key|plaintext|tokenFile|token)");

  /** A context file is a few hundred bytes; anything larger is not one. */
  static final long FILE_BYTES_MAX = 64 * 1024;

  private final Path path;
  private final String current;
  private final Map<String, Context> contexts;

  private ContextFile(Path path, String current, Map<String, Context> contexts) {
    this.path = path;
    this.current = current;
    this.contexts = contexts;
  }

  /** Where the file is: {@code flag}, else the environment's choice, else the XDG default. */
  public static Path locate(Path flag, Map<String, String> env) {
    if (flag != null) {
      return flag;
    }
    if (nonEmpty(env.get("HORAE_CONFIG"))) {
      return Path.of(env.get("HORAE_CONFIG"));
    }
    Path base =
        nonEmpty(env.get("XDG_CONFIG_HOME"))
            ? Path.of(env.get("XDG_CONFIG_HOME"))
            : Path.of(System.getProperty("user.home"), ".config");
    return base.resolve("horae").resolve("config");
  }

  /**
   * Reads the file; a missing file has no contexts.
   *
   * @throws ContextException naming the file and the bad key
   */
  public static ContextFile load(Path path) {
    Properties p = new Properties();
    if (Files.exists(path)) {
      try {
        if (Files.size(path) > FILE_BYTES_MAX) {
          throw new ContextException(
              path + ": larger than " + FILE_BYTES_MAX + " bytes; not a context file");
        }
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
          p.load(r);
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new ContextException("cannot read " + path + ": " + e.getMessage(), e);
      }
    }
    Map<String, Map<String, String>> byName = new TreeMap<>();
    String current = null;
    for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
      String value = p.getProperty(key).strip();
      if (key.equals(CURRENT)) {
        current = value.isEmpty() ? null : value;
        continue;
      }
      Matcher m = KEY.matcher(key);
      if (!m.matches()) {
        throw new ContextException(
            path
                + ": unknown key "
                + key
                + " (a context is context.<name>.endpoints, .ca, .cert, .key, .plaintext, .tokenFile or .token)");
      }
      if (m.group(2).equals("token")) {
        checkOwnerOnly(path, key);
      }
      byName.computeIfAbsent(m.group(1), n -> new TreeMap<>()).put(m.group(2), value);
    }
    Map<String, Context> contexts = new TreeMap<>();
    byName.forEach((name, v) -> contexts.put(name, context(path, name, v)));
    return new ContextFile(path, current, contexts);
  }

  private static Context context(Path file, String name, Map<String, String> v) {
    String plaintext = v.get("plaintext");
    if (plaintext != null && !plaintext.equals("true") && !plaintext.equals("false")) {
      throw new ContextException(
          file + ": context." + name + ".plaintext=" + plaintext + ": must be true or false");
    }
    if (v.containsKey("token") && v.containsKey("tokenFile")) {
      throw new ContextException(
          file
              + ": context."
              + name
              + ".token and context."
              + name
              + ".tokenFile: give one of them, not both");
    }
    String token = v.get("token");
    if (token != null && token.isEmpty()) {
      throw new ContextException(file + ": context." + name + ".token is empty");
    }
    return new Context(
        name,
        v.get("endpoints"),
        path(v.get("ca")),
        path(v.get("cert")),
        path(v.get("key")),
        plaintext == null ? null : Boolean.valueOf(plaintext),
        path(v.get("tokenFile")),
        token);
  }

  /**
   * A token written in the file is a secret at rest: refused unless only the owner may read the
   * file (as {@link #save} writes it), naming the file and the key, never the value.
   */
  private static void checkOwnerOnly(Path file, String key) {
    Set<PosixFilePermission> perms;
    try {
      perms = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      throw new ContextException(
          file
              + ": "
              + key
              + ": cannot check who may read this file on this file system; use "
              + key
              + "File instead");
    } catch (IOException e) {
      throw new ContextException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (perms.contains(PosixFilePermission.GROUP_READ)
        || perms.contains(PosixFilePermission.OTHERS_READ)) {
      throw new ContextException(
          file
              + ": "
              + key
              + ": a token in the context file needs a file only its owner may read (it is "
              + PosixFilePermissions.toString(perms)
              + "; chmod 600 "
              + file
              + "), or use "
              + key
              + "File");
    }
  }

  public Path path() {
    return path;
  }

  /** The current context's name, if the file names one. */
  public Optional<String> current() {
    return Optional.ofNullable(current);
  }

  public Map<String, Context> contexts() {
    return java.util.Collections.unmodifiableMap(contexts); // sorted by name
  }

  public Optional<Context> get(String name) {
    return Optional.ofNullable(contexts.get(name));
  }

  /** This file with {@code context} added or replaced. */
  public ContextFile with(Context context) {
    if (!NAME.matcher(context.name()).matches()) {
      throw new ContextException(
          "context name '" + context.name() + "' must match " + NAME.pattern());
    }
    Map<String, Context> next = new TreeMap<>(contexts);
    next.put(context.name(), context);
    return new ContextFile(path, current, next);
  }

  /** This file with {@code name} as the current context; it must exist. */
  public ContextFile use(String name) {
    if (!contexts.containsKey(name)) {
      throw new ContextException(
          "no context named " + name + " in " + path + "; known: " + contexts.keySet());
    }
    return new ContextFile(path, name, contexts);
  }

  /** Writes the file (creating its directory), readable and writable by its owner only. */
  public void save() throws IOException {
    Properties p = new Properties();
    if (current != null) {
      p.setProperty(CURRENT, current);
    }
    contexts.values().forEach(c -> put(p, c));
    StringWriter text = new StringWriter();
    p.store(
        text,
        "horae CLI contexts (horae context ls|use|show); keep a bearer token in a file named by context.<name>.tokenFile");
    PrivateFiles.write(path, text.toString());
  }

  private static void put(Properties p, Context c) {
    String prefix = "context." + c.name() + ".";
    if (c.endpoints() != null) {
      p.setProperty(prefix + "endpoints", c.endpoints());
    }
    if (c.ca() != null) {
      p.setProperty(prefix + "ca", c.ca().toString());
    }
    if (c.cert() != null) {
      p.setProperty(prefix + "cert", c.cert().toString());
    }
    if (c.key() != null) {
      p.setProperty(prefix + "key", c.key().toString());
    }
    if (c.plaintext() != null) {
      p.setProperty(prefix + "plaintext", c.plaintext().toString());
    }
    if (c.tokenFile() != null) {
      p.setProperty(prefix + "tokenFile", c.tokenFile().toString());
    }
    if (c.token() != null) {
      p.setProperty(prefix + "token", c.token());
    }
  }

  private static Path path(String value) {
    return nonEmpty(value) ? Path.of(value) : null;
  }

  private static boolean nonEmpty(String s) {
    return s != null && !s.isBlank();
  }
}
