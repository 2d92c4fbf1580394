package io.horae.cli.job;

import io.horae.api.v1.Header;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code Name:Value}, as in {@code --header 'X-Team: billing'}. The name must be an HTTP
 * token; blanks around the value are dropped.
 */
final class HeaderConverter implements ITypeConverter<Header> {
  /** RFC 9110 token characters. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  @Override
  public Header convert(String value) {
    int colon = value.indexOf(':');
    String name = colon < 0 ? "" : value.substring(0, colon).strip();
    if (!TOKEN.matcher(name).matches()) {
      // The value is not echoed: it may be a credential.
      throw new TypeConversionException(
          "expected Name:Value with a token name, e.g. 'X-Team: billing'");
    }
    return Header.newBuilder().setName(name).setValue(value.substring(colon + 1).strip()).build();
  }
}
