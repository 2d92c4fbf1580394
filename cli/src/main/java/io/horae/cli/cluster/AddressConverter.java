package io.horae.cli.cluster;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Checks a {@code host:port} (or {@code [ipv6]:port}) flag value before anything is sent, so the
 * error names the flag; the server checks again and names the field.
 */
final class AddressConverter implements ITypeConverter<String> {
  private static final Pattern HOST_PORT =
      Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9.-]+):([0-9]{1,5})");
  static final int PORT_MAX = 65_535;

  @Override
  public String convert(String value) {
    Matcher m = HOST_PORT.matcher(value);
    if (!m.matches()) {
      throw new TypeConversionException("'" + value + "' is not host:port, e.g. 127.0.0.1:7173");
    }
    int port = Integer.parseInt(m.group(2));
    if (port < 1 || port > PORT_MAX) {
      throw new TypeConversionException("'" + value + "': port must be between 1 and " + PORT_MAX);
    }
    return value;
  }
}
