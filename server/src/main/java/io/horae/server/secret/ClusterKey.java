package io.horae.server.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cluster key file: AES-256 keys, one per line as {@code <id>:<base64 of 32 bytes>}, lines
 * starting with {@code #} ignored. The first key seals new values; every key opens values sealed
 * with it, so the cluster key can be rotated by putting a new key first and keeping the old one
 * until nothing refers to it. Every node of a cluster reads the same file.
 *
 * <p>Errors name the file and the line number, never key material.
 */
public final class ClusterKey {
  public static final int KEY_BYTES = 32;
  static final Pattern KEY_ID = Pattern.compile("[a-z0-9]{1,16}");

  /** A key file is a few lines; anything bigger is the wrong file. */
  static final long FILE_BYTES_MAX = 64 * 1024;

  static final int KEYS_MAX = 16;

  private final String currentId;

  /** By id, in file order; never changed after construction. */
  private final Map<String, byte[]> keys;

  private ClusterKey(String currentId, Map<String, byte[]> keys) {
    this.currentId = currentId;
    this.keys = keys;
  }

  /**
   * Reads a key file.
   *
   * @throws IOException if the file cannot be read or is malformed; the message names the file
   */
  public static ClusterKey load(Path file) throws IOException {
    if (Files.size(file) > FILE_BYTES_MAX) {
      throw new IOException(
          "cluster key file " + file + " is larger than " + FILE_BYTES_MAX + " bytes");
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    String first = null;
    int lineNo = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String id = colon < 0 ? "" : line.substring(0, colon);
      byte[] key = colon < 0 ? new byte[0] : decode(line.substring(colon + 1));
      if (!KEY_ID.matcher(id).matches() || key.length != KEY_BYTES || keys.containsKey(id)) {
        throw new IOException(
            "cluster key file "
                + file
                + " line "
                + lineNo
                + ": expected a new <id>:<base64 of "
                + KEY_BYTES
                + " bytes> with id matching "
                + KEY_ID.pattern()
                + " (make one with: horae secrets keygen)");
      }
      keys.put(id, key);
      first = first == null ? id : first;
    }
    if (first == null || keys.size() > KEYS_MAX) {
      throw new IOException("cluster key file " + file + " must hold 1.." + KEYS_MAX + " keys");
    }
    return new ClusterKey(first, keys);
  }

  /** A fresh key file's content: a comment and one line {@code <random id>:<random key>}. */
  public static String generate(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    random.nextBytes(key);
    byte[] id = new byte[4];
    random.nextBytes(id);
    return "# Horae cluster key (AES-256). Keep it secret; give every node of the cluster the same file.\n"
        + HexFormat.of().formatHex(id)
        + ":"
        + Base64.getEncoder().encodeToString(key)
        + "\n";
  }

  String currentId() {
    return currentId;
  }

  byte[] current() {
    return keys.get(currentId);
  }

  /** The key with this id, or null. */
  byte[] byId(String id) {
    return keys.get(id);
  }

  private static byte[] decode(String s) {
    try {
      return Base64.getDecoder().decode(s.strip());
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  @Override
  public String toString() {
    return "ClusterKey[current=" + currentId + ", keys=" + keys.size() + "]";
  }
}
