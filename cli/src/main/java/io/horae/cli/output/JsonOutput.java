package io.horae.cli.output;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Prints messages as proto JSON (lowerCamelCase fields, int64 as strings, bytes as base64), with
 * scalar fields at their default values included so programs always find the same keys.
 */
public final class JsonOutput {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().includingDefaultValueFields();

  private JsonOutput() {}

  public static void print(MessageOrBuilder message, PrintWriter out) {
    try {
      out.println(PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print; the public API has none.
      throw new UncheckedIOException(e);
    }
  }
}
