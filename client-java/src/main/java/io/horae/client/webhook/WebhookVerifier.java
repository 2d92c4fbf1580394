package io.horae.client.webhook;

import io.horae.client.webhook.WebhookVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks the Standard Webhooks headers of a received delivery: all three present, the timestamp
 * within {@link Builder#tolerance(Duration) tolerance} of now in either direction, and at least one
 * {@code v1} signature that matches one of the configured secrets.
 *
 * <p>Configure the old and the new secret during a key rotation; a delivery signed with either
 * passes. Signatures are compared in constant time ({@link MessageDigest#isEqual}). Entries of
 * other versions are ignored, as the spec asks.
 *
 * <p>Instances are immutable and safe to share between threads. {@link #toString()} does not reveal
 * the secrets.
 */
public final class WebhookVerifier {
  /** How far the timestamp may be from now, in either direction, by default. */
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  /** The largest tolerance accepted; more makes replay protection meaningless. */
  public static final Duration TOLERANCE_MAX = Duration.ofDays(1);

  /** The longest {@code webhook-signature} header accepted, in characters. */
  public static final int SIGNATURE_HEADER_CHARS_MAX = 4096;

  /** The most signature entries one header may list. */
  public static final int SIGNATURES_MAX = 32;

  /**
   * The longest {@code webhook-timestamp} accepted, in digits (Unix seconds fit in 12 until 33658).
   */
  static final int TIMESTAMP_DIGITS_MAX = 18;

  private final List<WebhookSecret> secrets;
  private final long toleranceSeconds;
  private final Clock clock;

  private WebhookVerifier(Builder builder) {
    this.secrets = List.copyOf(builder.secrets);
    this.toleranceSeconds = builder.tolerance.toSeconds();
    this.clock = builder.clock;
  }

  /** Returns a builder; at least one secret is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Verifies a delivery given its headers as a multi-valued map (as most HTTP servers expose them).
   * Header names are matched case-insensitively. Several {@code webhook-signature} values are
   * joined; {@code webhook-id} and {@code webhook-timestamp} must each appear once.
   *
   * @param headers the request headers
   * @param body the exact request body bytes, before any parsing
   * @throws WebhookVerificationException if the delivery must be rejected; {@link
   *     WebhookVerificationException#reason()} says why
   */
  public void verify(Map<String, ? extends Collection<String>> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    List<String> signatures = values(headers, WebhookHeaders.SIGNATURE);
    verify(
        single(headers, WebhookHeaders.ID),
        single(headers, WebhookHeaders.TIMESTAMP),
        signatures.isEmpty() ? null : String.join(" ", signatures),
        body);
  }

  /**
   * Verifies a delivery given the three header values.
   *
   * @param id the {@code webhook-id} value, or {@code null} if absent
   * @param timestamp the {@code webhook-timestamp} value, or {@code null} if absent
   * @param signature the {@code webhook-signature} value, or {@code null} if absent
   * @param body the exact request body bytes, before any parsing
   * @throws WebhookVerificationException if the delivery must be rejected
   */
  public void verify(String id, String timestamp, String signature, byte[] body) {
    Objects.requireNonNull(body, "body");
    requirePresent(WebhookHeaders.ID, id);
    requirePresent(WebhookHeaders.TIMESTAMP, timestamp);
    requirePresent(WebhookHeaders.SIGNATURE, signature);
    try {
      WebhookSigner.checkId(id);
    } catch (IllegalArgumentException e) {
      throw new WebhookVerificationException(Reason.MALFORMED_HEADER, e.getMessage());
    }
    long timestampSeconds = parseTimestamp(timestamp);
    checkTolerance(timestampSeconds);
    List<byte[]> candidates = v1Signatures(signature);
    for (WebhookSecret secret : secrets) {
      byte[] expected =
          WebhookSigner.base64Signature(secret, id, timestampSeconds, body)
              .getBytes(StandardCharsets.US_ASCII);
      for (byte[] candidate : candidates) {
        // Compares the base64 text, as the reference libraries do, so only the canonical encoding
        // matches. isEqual takes the same time wherever the first difference is.
        if (MessageDigest.isEqual(expected, candidate)) {
          return;
        }
      }
    }
    throw new WebhookVerificationException(
        Reason.NO_MATCHING_SIGNATURE,
        candidates.size() + " v1 signature(s) checked against " + secrets.size() + " secret(s)");
  }

  private static void requirePresent(String header, String value) {
    if (value == null || value.isBlank()) {
      throw new WebhookVerificationException(Reason.MISSING_HEADER, header + " is missing");
    }
  }

  private static long parseTimestamp(String timestamp) {
    String trimmed = timestamp.trim();
    boolean digits = !trimmed.isEmpty() && trimmed.length() <= TIMESTAMP_DIGITS_MAX;
    for (int i = 0; digits && i < trimmed.length(); i++) {
      digits = trimmed.charAt(i) >= '0' && trimmed.charAt(i) <= '9';
    }
    if (!digits) {
      throw new WebhookVerificationException(
          Reason.MALFORMED_HEADER,
          WebhookHeaders.TIMESTAMP
              + " must be 1.."
              + TIMESTAMP_DIGITS_MAX
              + " decimal digits of Unix seconds");
    }
    return Long.parseLong(trimmed);
  }

  private void checkTolerance(long timestampSeconds) {
    // Whole seconds, like the reference libraries: a delivery exactly at the edge passes.
    long nowSeconds = clock.instant().getEpochSecond();
    if (nowSeconds - timestampSeconds > toleranceSeconds) {
      throw new WebhookVerificationException(
          Reason.TIMESTAMP_TOO_OLD,
          WebhookHeaders.TIMESTAMP
              + " is "
              + (nowSeconds - timestampSeconds)
              + "s old, tolerance is "
              + toleranceSeconds
              + "s");
    }
    if (timestampSeconds - nowSeconds > toleranceSeconds) {
      throw new WebhookVerificationException(
          Reason.TIMESTAMP_TOO_NEW,
          WebhookHeaders.TIMESTAMP
              + " is "
              + (timestampSeconds - nowSeconds)
              + "s in the future, tolerance is "
              + toleranceSeconds
              + "s");
    }
  }

  /** Returns the base64 text of each {@code v1,} entry; entries of other versions are skipped. */
  private static List<byte[]> v1Signatures(String header) {
    if (header.length() > SIGNATURE_HEADER_CHARS_MAX) {
      throw new WebhookVerificationException(
          Reason.MALFORMED_HEADER,
          WebhookHeaders.SIGNATURE + " is longer than " + SIGNATURE_HEADER_CHARS_MAX + " chars");
    }
    String[] entries = header.trim().split(" +");
    if (entries.length > SIGNATURES_MAX) {
      throw new WebhookVerificationException(
          Reason.MALFORMED_HEADER,
          WebhookHeaders.SIGNATURE + " lists more than " + SIGNATURES_MAX + " signatures");
    }
    List<byte[]> v1 = new ArrayList<>(entries.length);
    String prefix = WebhookSigner.VERSION_V1 + ",";
    for (String entry : entries) {
      if (entry.startsWith(prefix)) {
        v1.add(entry.substring(prefix.length()).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return v1;
  }

  private static List<String> values(
      Map<String, ? extends Collection<String>> headers, String name) {
    List<String> values = new ArrayList<>();
    for (Map.Entry<String, ? extends Collection<String>> header : headers.entrySet()) {
      if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
        if (header.getValue() != null) {
          values.addAll(header.getValue());
        }
      }
    }
    return values;
  }

  private static String single(Map<String, ? extends Collection<String>> headers, String name) {
    List<String> values = values(headers, name);
    if (values.size() > 1) {
      throw new WebhookVerificationException(
          Reason.MALFORMED_HEADER, name + " appears " + values.size() + " times");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  /** Names the configuration without revealing the secrets. */
  @Override
  public String toString() {
    return "WebhookVerifier[secrets="
        + secrets.size()
        + ", toleranceSeconds="
        + toleranceSeconds
        + "]";
  }

  /** Configures a {@link WebhookVerifier}. Not thread-safe; build once and share the verifier. */
  public static final class Builder {
    private final List<WebhookSecret> secrets = new ArrayList<>();
    private Duration tolerance = DEFAULT_TOLERANCE;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Adds a secret a delivery may be signed with; add the old and the new one during a rotation.
     * At most {@link WebhookSigner#SECRETS_MAX}.
     */
    public Builder secret(WebhookSecret secret) {
      secrets.add(Objects.requireNonNull(secret, "secret"));
      return this;
    }

    /** Parses and adds a {@code whsec_...} secret; see {@link WebhookSecret#parse(String)}. */
    public Builder secret(String secret) {
      return secret(WebhookSecret.parse(secret));
    }

    /**
     * Sets how far the timestamp may be from now, in either direction; whole seconds, 0 to {@link
     * #TOLERANCE_MAX}. Default {@link #DEFAULT_TOLERANCE}.
     */
    public Builder tolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isNegative() || tolerance.compareTo(TOLERANCE_MAX) > 0) {
        throw new IllegalArgumentException(
            "tolerance must be 0.." + TOLERANCE_MAX + ", was " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /** Sets the clock "now" is read from; default the system UTC clock. For tests. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the verifier.
     *
     * @throws IllegalArgumentException if no secret was added, or more than {@link
     *     WebhookSigner#SECRETS_MAX}
     */
    public WebhookVerifier build() {
      if (secrets.isEmpty() || secrets.size() > WebhookSigner.SECRETS_MAX) {
        throw new IllegalArgumentException(
            "a webhook verifier needs 1.."
                + WebhookSigner.SECRETS_MAX
                + " secrets, got "
                + secrets.size());
      }
      return new WebhookVerifier(this);
    }
  }
}
