package io.horae.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Who may call a node, and what each may do (docs/security.md "Tokens and roles"). One line per
 * credential: a bearer token, by its hash, or {@code cert} for a client certificate of the cluster
 * CA that names {@code horae-client:<principal>}:
 *
 * <pre>
 * # principal   credential                                                               grants
 * ci            sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  writer:team-a,reader:team-*
 * admin         cert                                                                     cluster-admin,writer:*,secrets:*
 * </pre>
 *
 * Only the SHA-256 of a token is stored, so the file gives nobody a token. One principal may have
 * several token lines (a new token beside the old one while clients move over). Blank lines and
 * {@code #} comments are ignored. A file with any bad line is refused as a whole, with the line
 * number and what is wrong; the message never holds a hash or a token.
 */
public final class TokenFile {
  /** Most lines a token file may have (bounded: it is held in memory and parsed on reload). */
  public static final int LINES_MAX = 10_000;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final HexFormat HEX = HexFormat.of();

  private TokenFile() {}

  /** A parsed file: principals by token hash (lower-case hex) and by certificate name. */
  public record Parsed(Map<String, Principal> byTokenHash, Map<String, Principal> byCertificate) {}

  /** Parses the file's text. */
  public static Parsed parse(String text) {
    String[] lines = text.split("\r?\n", -1);
    if (lines.length > LINES_MAX) {
      throw new IllegalArgumentException(
          "token file has " + lines.length + " lines; at most " + LINES_MAX);
    }
    Map<String, Principal> byHash = new HashMap<>();
    Map<String, Principal> byCertificate = new HashMap<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].replaceFirst("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 3) {
        throw bad(
            i,
            "expected '<principal> sha256:<hex>|cert <grant>[,<grant>...]', found "
                + parts.length
                + " fields");
      }
      if (!NAME.matcher(parts[0]).matches()) {
        throw bad(i, "principal must be 1-64 of letters, digits, '.', '_', '@', '-'");
      }
      boolean cert = parts[1].equals("cert");
      if (!cert && !HASH.matcher(parts[1]).matches()) {
        throw bad(
            i,
            "the credential must be 'cert' or 'sha256:' and 64 lower-case hex digits (horae certs token makes one)");
      }
      List<Grant> grants = new ArrayList<>();
      for (String g : parts[2].split(",")) {
        try {
          grants.add(Grant.parse(g));
        } catch (IllegalArgumentException e) {
          throw bad(i, e.getMessage());
        }
      }
      Principal principal = new Principal(parts[0], grants);
      if (cert && byCertificate.put(parts[0], principal) != null) {
        throw bad(i, "principal " + parts[0] + " has two cert lines");
      }
      if (!cert && byHash.put(parts[1].substring("sha256:".length()), principal) != null) {
        throw bad(i, "the same token hash appears twice");
      }
    }
    return new Parsed(Map.copyOf(byHash), Map.copyOf(byCertificate));
  }

  /** A new token: {@code horae_} and 32 random bytes, base64url (256 bits, not guessable). */
  public static String newToken(java.security.SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return "horae_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hash a token file stores for {@code token}: 64 lower-case hex digits. */
  public static String hash(String token) {
    try {
      return HEX.formatHex(
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** A line for the file: the principal, the token's hash and the grants. */
  public static String line(String principal, String token, List<Grant> grants) {
    return principal
        + " sha256:"
        + hash(token)
        + " "
        + String.join(",", grants.stream().map(Grant::toString).toList());
  }

  private static IllegalArgumentException bad(int index, String why) {
    return new IllegalArgumentException("line " + (index + 1) + ": " + why);
  }
}
