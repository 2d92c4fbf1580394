package io.horae.server.fuzz;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.EnumSet;
import java.util.Set;

/**
 * Judges one reply to a fuzzed request. Clean is: OK with a response that parses, or a status that
 * names a caller's problem or a limit, with a bounded description and bounded details (a reply must
 * not echo a huge input). INTERNAL, UNKNOWN and the rest mean the server failed on the input;
 * UNAVAILABLE and DEADLINE_EXCEEDED mean it could not cope with it.
 */
public final class Verdicts {
  public static final Set<Status.Code> CLEAN =
      EnumSet.of(
          Status.Code.INVALID_ARGUMENT,
          Status.Code.NOT_FOUND,
          Status.Code.FAILED_PRECONDITION,
          Status.Code.ALREADY_EXISTS,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.OUT_OF_RANGE,
          Status.Code.PERMISSION_DENIED,
          Status.Code.UNIMPLEMENTED);

  /** Longest status description a reply may carry. */
  public static final int DESCRIPTION_CHARS_MAX = 2048;

  /**
   * Largest trailers a reply may send, as HTTP/2 counts them (name + value + 32 per entry): what a
   * default gRPC client accepts (its maxInboundMetadataSize). Larger ones fail the call there with
   * INTERNAL, and past 10 KiB the whole connection.
   */
  public static final int TRAILER_BYTES_MAX = 8192;

  /** What the fuzzing client accepts, so that it can measure oversized trailers. */
  public static final int TRAILER_BYTES_SEEN_MAX = 4 * 1024 * 1024;

  private Verdicts() {}

  /** Null when the reply is clean; otherwise what is wrong with it. */
  public static String problem(CaseGenerator.Case c, RawCaller.Outcome o) {
    if (o.answered()) {
      return answered(c, o);
    }
    Status s = o.status();
    String description = s.getDescription() == null ? "" : s.getDescription();
    if (!CLEAN.contains(s.getCode())) {
      return "answered "
          + s.getCode()
          + ": "
          + head(description)
          + (s.getCause() == null ? "" : " (cause " + s.getCause() + ")");
    }
    if (description.length() > DESCRIPTION_CHARS_MAX) {
      return "a "
          + s.getCode()
          + " description of "
          + description.length()
          + " characters: "
          + head(description);
    }
    long trailers = trailerBytes(description, o.trailers());
    if (trailers > TRAILER_BYTES_MAX) {
      return "a " + s.getCode() + " with " + trailers + " bytes of trailers: " + head(description);
    }
    return null;
  }

  /** The trailers' size as HTTP/2 counts it, with grpc-message percent-encoded as gRPC sends it. */
  static long trailerBytes(String description, Metadata trailers) {
    long size = "grpc-status".length() + 2 + 32;
    long message = 0;
    for (byte b : description.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      message += b >= 0x20 && b < 0x7F && b != '%' ? 1 : 3;
    }
    size += "grpc-message".length() + message + 32;
    if (trailers != null) {
      for (String key : trailers.keys()) {
        if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          for (byte[] v : trailers.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
            size += key.length() + (v.length + 2) / 3 * 4 + 32;
          }
        } else {
          for (String v : trailers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
            size += key.length() + v.length() + 32;
          }
        }
      }
    }
    return size;
  }

  private static String answered(CaseGenerator.Case c, RawCaller.Outcome o) {
    Message response;
    try {
      response = responsePrototype(c.method()).getParserForType().parseFrom(o.response());
    } catch (InvalidProtocolBufferException e) {
      return "answered with a response that does not parse: " + e.getMessage();
    }
    if (c.poisoned()) {
      return "a write that must be refused was answered OK: " + head(response.toString());
    }
    if (Catalog.NO_OP_WRITES.contains(c.method().getFullMethodName())) {
      // replayed / purged: with no dead letter in the cluster, nothing can have been touched.
      FieldDescriptor count = response.getDescriptorForType().findFieldByNumber(1);
      if (((Number) response.getField(count)).intValue() != 0) {
        return "touched dead letters where none exist: " + head(response.toString());
      }
    }
    return null;
  }

  public static Message responsePrototype(MethodDescriptor<?, ?> method) {
    return (Message)
        ((MethodDescriptor.PrototypeMarshaller<?>) method.getResponseMarshaller())
            .getMessagePrototype();
  }

  private static String head(String s) {
    return s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
  }
}
