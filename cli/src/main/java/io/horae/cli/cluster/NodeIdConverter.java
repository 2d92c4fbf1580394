package io.horae.cli.cluster;

import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Node ids as the server accepts them ({@code node.id}): lower-case letters, digits, dashes. */
final class NodeIdConverter implements ITypeConverter<String> {
  private static final Pattern NODE_ID = Pattern.compile("[a-z0-9-]{1,32}");

  @Override
  public String convert(String value) {
    if (!NODE_ID.matcher(value).matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a node id (" + NODE_ID.pattern() + ")");
    }
    return value;
  }
}
