package io.horae.client.webhook;

import java.nio.charset.StandardCharsets;

/**
 * One delivery and its signatures, computed outside Java so the tests do not check our code against
 * itself. The signatures were produced once with OpenSSL and pasted here:
 *
 * <pre>
 * MSG='msg_2KWPBgLlAfxdpx2AI54pPJ85f4W.1674087231.{"job":"nightly","note":"grüße"}'
 * printf %s "$MSG" | openssl dgst -sha256 -hmac 'horae-known-answer-key01' -binary | base64
 * printf %s "$MSG" | openssl dgst -sha256 -hmac 'horae-rotation-key-0002-abcdef' -binary | base64
 * </pre>
 *
 * <p>The body holds non-ASCII characters so that the UTF-8 bytes, not the chars, are signed.
 */
final class KnownAnswer {
  /** {@code whsec_} + base64("horae-known-answer-key01"). */
  static final String SECRET = "whsec_aG9yYWUta25vd24tYW5zd2VyLWtleTAx";

  /** {@code whsec_} + base64("horae-rotation-key-0002-abcdef"). */
  static final String ROTATED_SECRET = "whsec_aG9yYWUtcm90YXRpb24ta2V5LTAwMDItYWJjZGVm";

  static final String ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  static final long TIMESTAMP_SECONDS = 1674087231L;
  static final byte[] BODY =
      "{\"job\":\"nightly\",\"note\":\"gr\u00fc\u00dfe\"}".getBytes(StandardCharsets.UTF_8);

  /** OpenSSL's HMAC-SHA256 of the message under {@link #SECRET}. */
  static final String SIGNATURE = "v1,mU1WcQFWdys8mw4CXi9ME4kCzjK/JKwOYTa1z3ZEKEg=";

  /** OpenSSL's HMAC-SHA256 of the message under {@link #ROTATED_SECRET}. */
  static final String ROTATED_SIGNATURE = "v1,Zlusqt72zdCmGOni2sBRJo/sXptiboddojDcK+pquKQ=";

  private KnownAnswer() {}
}
