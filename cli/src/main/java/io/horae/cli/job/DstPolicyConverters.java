package io.horae.cli.job;

import io.horae.api.v1.Cron;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads --dst-gap and --dst-overlap values, in any case; picocli names the flag on an error. */
final class DstPolicyConverters {
  private DstPolicyConverters() {}

  /** {@code shift} or {@code skip}. */
  static final class Gap implements ITypeConverter<Cron.DstGap> {
    @Override
    public Cron.DstGap convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "shift" -> Cron.DstGap.DST_GAP_SHIFT;
        case "skip" -> Cron.DstGap.DST_GAP_SKIP;
        default -> throw new TypeConversionException("'" + value + "' is not shift or skip");
      };
    }
  }

  /** {@code first}, {@code last} or {@code both}. */
  static final class Overlap implements ITypeConverter<Cron.DstOverlap> {
    @Override
    public Cron.DstOverlap convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "first" -> Cron.DstOverlap.DST_OVERLAP_FIRST;
        case "last" -> Cron.DstOverlap.DST_OVERLAP_LAST;
        case "both" -> Cron.DstOverlap.DST_OVERLAP_BOTH;
        default -> throw new TypeConversionException("'" + value + "' is not first, last or both");
      };
    }
  }
}
