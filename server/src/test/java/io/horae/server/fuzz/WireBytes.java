package io.horae.server.fuzz;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Request bytes no protobuf builder would produce, written in the wire format by hand: a string
 * field holding invalid UTF-8 (protobuf-java refuses to build one), random bytes, and valid
 * messages cut short or with flipped bits.
 */
public final class WireBytes {
  /**
   * Byte sequences that are not UTF-8: overlong, surrogate, truncated, out of range, bare
   * continuation.
   */
  private static final byte[][] NOT_UTF8 = {
    {(byte) 0xC0, (byte) 0x80},
    {(byte) 0xFF},
    {(byte) 0xFE, (byte) 0xFF},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xE2, (byte) 0x82},
    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0x80},
    {'o', 'k', (byte) 0xC3},
  };

  private static final int WIRE_LENGTH_DELIMITED = 2;

  private WireBytes() {}

  /**
   * {@code m}'s bytes with one string field, possibly nested in message or map fields, replaced by
   * invalid UTF-8; just {@code m}'s bytes when its type has no string field within reach.
   */
  public static byte[] withInvalidUtf8(Message m, Random random) {
    List<List<FieldDescriptor>> paths = new ArrayList<>();
    stringPaths(m.getDescriptorForType(), new ArrayList<>(), paths, 0);
    if (paths.isEmpty()) {
      return m.toByteArray();
    }
    List<FieldDescriptor> path = paths.get(random.nextInt(paths.size()));
    byte[] bad = NOT_UTF8[random.nextInt(NOT_UTF8.length)];
    byte[] value =
        random.nextBoolean() ? bad : concat(("x".repeat(random.nextInt(300))).getBytes(), bad);
    return inject(m, path, value);
  }

  private static void stringPaths(
      Descriptor type, List<FieldDescriptor> prefix, List<List<FieldDescriptor>> out, int depth) {
    for (FieldDescriptor f : type.getFields()) {
      List<FieldDescriptor> path = new ArrayList<>(prefix);
      path.add(f);
      if (f.getType() == FieldDescriptor.Type.STRING) {
        out.add(path);
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth < 4) {
        stringPaths(f.getMessageType(), path, out, depth + 1);
      }
    }
  }

  /**
   * Appends the field at the end of {@code path} with {@code value} as its raw bytes. A parser
   * merges a singular message field that occurs twice and keeps the last scalar, so appending is
   * enough: the rest of {@code m} stays as it was.
   */
  private static byte[] inject(Message m, List<FieldDescriptor> path, byte[] value) {
    FieldDescriptor f = path.get(0);
    if (path.size() == 1) {
      return concat(m.toByteArray(), lengthDelimited(f.getNumber(), value));
    }
    Message child =
        f.isRepeated() || !m.hasField(f)
            ? m.toBuilder().newBuilderForField(f).build()
            : (Message) m.getField(f);
    byte[] childBytes = inject(child, path.subList(1, path.size()), value);
    Message rest = f.isRepeated() ? m : m.toBuilder().clearField(f).build();
    return concat(rest.toByteArray(), lengthDelimited(f.getNumber(), childBytes));
  }

  /** {@code n} random bytes: a message no parser need accept. */
  public static byte[] random(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /** A valid message's bytes cut short, with flipped bits, or with a length prefix that lies. */
  public static byte[] corrupt(byte[] valid, Random random) {
    if (valid.length == 0) {
      return random(random, 1 + random.nextInt(8));
    }
    byte[] b = valid.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        return java.util.Arrays.copyOf(b, random.nextInt(b.length));
      }
      case 1 -> {
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          int at = random.nextInt(b.length);
          b[at] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
      }
      default -> {
        // A length-delimited field 1 claiming far more bytes than follow.
        return concat(new byte[] {0x0A, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}, b);
      }
    }
  }

  private static byte[] lengthDelimited(int fieldNumber, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 10);
    varint(out, ((long) fieldNumber << 3) | WIRE_LENGTH_DELIMITED);
    varint(out, value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
