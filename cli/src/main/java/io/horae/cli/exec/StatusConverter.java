package io.horae.cli.exec;

import io.horae.api.v1.ExecutionStatus;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a status as shown in tables: {@code pending}, {@code retry_wait} (or {@code retry-wait}),
 * ...
 */
final class StatusConverter implements ITypeConverter<ExecutionStatus> {
  static final String ACCEPTED =
      Arrays.stream(ExecutionStatus.values())
          .filter(
              s ->
                  s != ExecutionStatus.UNRECOGNIZED
                      && s != ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED)
          .map(s -> ExecView.status(s).toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", "));

  @Override
  public ExecutionStatus convert(String value) {
    String name = "EXECUTION_STATUS_" + value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      ExecutionStatus s = ExecutionStatus.valueOf(name);
      if (s != ExecutionStatus.EXECUTION_STATUS_UNSPECIFIED) {
        return s;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new TypeConversionException("'" + value + "' is not a status; use one of " + ACCEPTED);
  }
}
