package io.horae.server.fuzz;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds malformed requests from a message's descriptor alone, so every RPC gets the same treatment
 * and a field added later is fuzzed without a change here: {@link #random} fills fields with {@link
 * Extremes}, {@link #mutate} sets a few fields of a valid request to them.
 *
 * <p>Each request is bounded: its strings and bytes together stay under {@link #caseCharsMax} (a
 * field that would pass it is left empty), and nesting stops at {@link #depthMax}.
 */
public final class MessageFuzzer {
  /**
   * Characters (or bytes) of strings and bytes fields in one request: a bit over the 4 MiB limit.
   */
  static final long caseCharsMax = 6L * 1024 * 1024;

  static final int depthMax = 6;

  private final Extremes extremes;

  /**
   * Characters this case may still add; reset per request. Single-threaded, like the whole
   * generator.
   */
  private long charsLeft;

  public MessageFuzzer(Extremes extremes) {
    this.extremes = extremes;
  }

  /** A message of type {@code type} with about half its fields set to extreme values. */
  public DynamicMessage random(Descriptor type) {
    charsLeft = caseCharsMax;
    return randomMessage(type, 0);
  }

  /** {@code base} with {@code count} fields, possibly nested, set to extreme values or cleared. */
  public DynamicMessage mutate(Message base, int count) {
    charsLeft = caseCharsMax - base.getSerializedSize();
    DynamicMessage m = DynamicMessage.newBuilder(base).build();
    for (int i = 0; i < count; i++) {
      m = mutateOnce(m, 0);
    }
    return m;
  }

  private DynamicMessage mutateOnce(DynamicMessage m, int depth) {
    List<FieldDescriptor> fields = m.getDescriptorForType().getFields();
    if (fields.isEmpty()) {
      return m;
    }
    FieldDescriptor f = fields.get(extremes.random().nextInt(fields.size()));
    DynamicMessage.Builder b = m.toBuilder();
    boolean nested = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated();
    if (nested && depth < depthMax && extremes.random().nextInt(3) > 0) {
      DynamicMessage child = DynamicMessage.newBuilder((Message) m.getField(f)).build();
      return b.setField(f, mutateOnce(child, depth + 1)).build();
    }
    if (extremes.random().nextInt(8) == 0) {
      return b.clearField(f).build();
    }
    setRandom(b, f, depth);
    return b.build();
  }

  private DynamicMessage randomMessage(Descriptor type, int depth) {
    DynamicMessage.Builder b = DynamicMessage.newBuilder(type);
    for (FieldDescriptor f : type.getFields()) {
      if (extremes.random().nextBoolean()) {
        setRandom(b, f, depth);
      }
    }
    return b.build();
  }

  private void setRandom(DynamicMessage.Builder b, FieldDescriptor f, int depth) {
    if (!f.isRepeated()) {
      Object v = value(f, depth);
      if (v != null) {
        b.setField(f, v);
      }
      return;
    }
    int n = extremes.repeatCount();
    List<Object> values = new ArrayList<>(Math.min(n, 64));
    for (int i = 0; i < n && charsLeft > 0; i++) {
      // Past a few elements, nested messages would multiply the size: keep the long lists flat.
      Object v =
          i > 8 && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
              ? DynamicMessage.getDefaultInstance(f.getMessageType())
              : value(f, depth);
      if (v != null) {
        values.add(v);
      }
      charsLeft -= 4;
    }
    b.setField(f, values);
  }

  /** One value for field {@code f}, or null when the message would grow past its bound. */
  private Object value(FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case STRING -> spend(extremes.string());
      case BYTE_STRING -> spend(extremes.bytes());
      case INT -> extremes.int32();
      case LONG -> extremes.int64();
      case DOUBLE -> extremes.float64();
      case FLOAT -> (float) extremes.float64();
      case BOOLEAN -> extremes.random().nextBoolean();
      case ENUM -> enumValue(f.getEnumType());
      case MESSAGE -> depth < depthMax ? randomMessage(f.getMessageType(), depth + 1) : null;
    };
  }

  private Object enumValue(EnumDescriptor e) {
    int max = e.getValues().stream().mapToInt(v -> v.getNumber()).max().orElse(0);
    return e.findValueByNumberCreatingIfUnknown(extremes.enumNumber(max));
  }

  private String spend(String s) {
    if (s.length() > charsLeft) {
      return "";
    }
    charsLeft -= s.length();
    return s;
  }

  private ByteString spend(ByteString s) {
    if (s.size() > charsLeft) {
      return ByteString.EMPTY;
    }
    charsLeft -= s.size();
    return s;
  }
}
