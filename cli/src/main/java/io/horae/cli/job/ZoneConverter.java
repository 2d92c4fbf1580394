package io.horae.cli.job;

import java.time.DateTimeException;
import java.time.ZoneId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads a time zone id such as {@code Europe/Berlin}. */
final class ZoneConverter implements ITypeConverter<ZoneId> {
  @Override
  public ZoneId convert(String value) {
    try {
      return ZoneId.of(value);
    } catch (DateTimeException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a time zone such as Europe/Berlin or UTC");
    }
  }
}
