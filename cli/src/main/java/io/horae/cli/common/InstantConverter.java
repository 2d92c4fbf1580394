package io.horae.cli.common;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an ISO-8601 instant ({@code 2026-11-25T10:00:00Z}) or offset date-time ({@code
 * 2026-11-25T11:00:00+01:00}).
 */
public final class InstantConverter implements ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'"
                + value
                + "' is not an ISO-8601 instant (2026-11-25T10:00:00Z)"
                + " or offset date-time (2026-11-25T11:00:00+01:00)");
      }
    }
  }
}
