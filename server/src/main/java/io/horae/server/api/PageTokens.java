package io.horae.server.api;

import io.horae.server.errors.ValidationException;
import io.horae.statemachine.core.schedule.Violation;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Opaque page tokens: the last name of the previous page, base64url-encoded with a version tag. */
final class PageTokens {
  private static final String VERSION = "v1:";

  private PageTokens() {}

  static String encode(String lastName) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((VERSION + lastName).getBytes(StandardCharsets.UTF_8));
  }

  static String decode(String token) {
    if (token.isEmpty()) {
      return "";
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (raw.startsWith(VERSION)) {
        return raw.substring(VERSION.length());
      }
    } catch (IllegalArgumentException e) {
      // fall through to the violation below
    }
    throw new ValidationException(
        List.of(new Violation("page_token", "is not a token returned by this API")));
  }

  static int pageSize(int requested, int defaultSize, int max) {
    if (requested < 0) {
      throw new ValidationException(List.of(new Violation("page_size", "must not be negative")));
    }
    return requested == 0 ? defaultSize : Math.min(requested, max);
  }
}
