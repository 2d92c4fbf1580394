package io.horae.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Reads and validates a node config. Every problem is collected before failing, so an operator
 * fixes a file in one round; see {@link ConfigException} for the message format.
 *
 * <p>This is the only code that may read configuration from outside the process. It reads no system
 * properties and no environment variables yet: the file is the whole truth.
 */
public final class ConfigLoader {
  /** Config files are a few KiB; anything larger is not one. */
  static final long FILE_BYTES_MAX = 1024 * 1024;

  private ConfigLoader() {}

  /**
   * Reads a properties file (UTF-8) and validates it. A key given twice in the file is an error,
   * since the second value would silently win.
   *
   * @throws ConfigException when the file cannot be read or any key is wrong
   */
  public static HoraeConfig load(Path file) throws ConfigException {
    DuplicateTrackingProperties props = new DuplicateTrackingProperties();
    try {
      long size = Files.size(file);
      if (size > FILE_BYTES_MAX) {
        throw new ConfigException(
            List.of(
                file + ": " + size + " bytes; a config file must be at most " + FILE_BYTES_MAX));
      }
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        props.load(reader);
      }
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file.toAbsolutePath(), e);
    } catch (IOException | IllegalArgumentException e) {
      // Properties.load throws IllegalArgumentException on a malformed \\uXXXX escape.
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return validate(props, new ArrayList<>(props.duplicates()));
  }

  /**
   * Validates already loaded properties; only String keys and values are looked at.
   *
   * @throws ConfigException listing every problem found
   */
  public static HoraeConfig fromProperties(Properties props) throws ConfigException {
    return validate(props, new ArrayList<>());
  }

  private static HoraeConfig validate(Properties props, List<String> problems)
      throws ConfigException {
    checkKnownKeys(props, problems);
    ParsedValues values = new ParsedValues();
    for (Key<?> key : Keys.ALL) {
      read(key, props, values, problems);
    }
    Peers peers = PeersParser.parse(props, problems);
    checkSelfIsPeer(values, peers, problems);
    CrossRules.check(values, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return ConfigBinder.build(values, peers.valid());
  }

  private static void checkKnownKeys(Properties props, List<String> problems) {
    for (String name : new TreeSet<>(props.stringPropertyNames())) {
      if (Keys.BY_NAME.containsKey(name) || PeersParser.isPeerKey(name)) {
        continue;
      }
      String hint =
          KeySuggestion.closest(name, Keys.BY_NAME.keySet())
              .map(known -> " (did you mean " + known + "?)")
              .orElse("");
      problems.add(problem(name, props.getProperty(name), "unknown key" + hint));
    }
  }

  private static <T> void read(
      Key<T> key, Properties props, ParsedValues values, List<String> problems) {
    String raw = props.getProperty(key.name());
    if (raw == null) {
      if (key.required()) {
        problems.add(key.name() + ": required key is missing (it has no default)");
      } else if (Keys.DEFAULT_FROM.containsKey(key)) {
        Key<?> from = Keys.DEFAULT_FROM.get(key);
        if (values.has(from)) {
          values.put(key, key.type().cast(values.get(from)));
        }
      } else {
        values.put(key, key.defaultValue());
      }
      return;
    }
    // Properties keeps trailing blanks of a value; they are never meant.
    String value = raw.strip();
    try {
      values.put(key, key.parse(value));
    } catch (IllegalArgumentException e) {
      problems.add(problem(key.name(), value, e.getMessage()));
    }
  }

  private static void checkSelfIsPeer(ParsedValues values, Peers peers, List<String> problems) {
    if (!values.has(Keys.NODE_ID_KEY) || peers.declaredIds().isEmpty()) {
      return; // Already reported.
    }
    String id = values.get(Keys.NODE_ID_KEY);
    if (!peers.declaredIds().contains(id)) {
      problems.add(
          problem(
              Keys.NODE_ID_KEY.name(),
              id,
              "must be one of the peers " + new TreeSet<>(peers.declaredIds())));
    }
  }

  private static String problem(String key, String value, String rule) {
    return key + "=" + ConfigDescription.mask(key, value) + ": " + rule;
  }
}
