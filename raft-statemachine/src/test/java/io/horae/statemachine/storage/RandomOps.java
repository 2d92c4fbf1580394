package io.horae.statemachine.storage;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import io.horae.internal.v1.Op;
import java.util.List;
import java.util.Random;

/**
 * Ops with random content, built from their descriptors: every op kind, fields set or not, values
 * from pools of ordinary and extreme ones (empty, huge, negative, unknown enum numbers), names from
 * a small pool so that ops meet each other's jobs and executions. Seeded: the same seed, the same
 * ops.
 */
final class RandomOps {
  private static final List<String> STRINGS =
      List.of(
          "",
          "default",
          "a",
          "job-1",
          "job-2",
          "n1",
          "n2",
          "job-1@1000",
          "job-1@2000.m",
          "x".repeat(300),
          "é\u0000/",
          "ns/..",
          "*");
  private static final List<Long> LONGS =
      List.of(
          0L,
          1L,
          -1L,
          1_000L,
          2_000L,
          60_000L,
          1_700_000_000_000L,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          Integer.MAX_VALUE + 1L);
  private static final List<Integer> INTS =
      List.of(0, 1, -1, 2, 3, 7, 100, Integer.MAX_VALUE, Integer.MIN_VALUE);
  private static final int DEPTH_MAX = 4;
  private static final int REPEATED_MAX = 3;

  private final Random random;

  RandomOps(long seed) {
    this.random = new Random(seed);
  }

  /** One op of a random kind with random content. */
  Op next() {
    OneofDescriptor kind = Op.getDescriptor().getOneofs().get(0);
    FieldDescriptor field = kind.getFields().get(random.nextInt(kind.getFieldCount()));
    Message op =
        com.google.protobuf.DynamicMessage.newBuilder(Op.getDescriptor())
            .setField(field, message(field.getMessageType(), 0))
            .build();
    try {
      return Op.parseFrom(op.toByteString());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError("a message built from its own descriptor does not parse", e);
    }
  }

  private Message message(Descriptor type, int depth) {
    Message.Builder b = com.google.protobuf.DynamicMessage.newBuilder(type);
    for (FieldDescriptor f : type.getFields()) {
      if (random.nextInt(3) == 0
          || (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth >= DEPTH_MAX)) {
        continue;
      }
      if (f.isMapField()) {
        continue; // maps: left empty (their entries are messages of two fields; rare in ops)
      }
      if (f.isRepeated()) {
        int n = random.nextInt(REPEATED_MAX + 1);
        for (int i = 0; i < n; i++) {
          b.addRepeatedField(f, value(f, depth));
        }
      } else {
        b.setField(f, value(f, depth));
      }
    }
    return b.build();
  }

  private Object value(FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case STRING -> pick(STRINGS);
      case LONG -> pick(LONGS);
      case INT -> pick(INTS);
      case BOOLEAN -> random.nextBoolean();
      case DOUBLE -> random.nextBoolean() ? 0.5 : Double.NaN;
      case FLOAT -> random.nextBoolean() ? 0.5f : Float.NaN;
      case BYTE_STRING -> ByteString.copyFrom(new byte[random.nextInt(3) * 50]);
      case ENUM -> enumValue(f.getEnumType());
      case MESSAGE -> message(f.getMessageType(), depth + 1);
    };
  }

  private Object enumValue(EnumDescriptor type) {
    if (random.nextInt(8) == 0) {
      return type.findValueByNumberCreatingIfUnknown(99);
    }
    return type.getValues().get(random.nextInt(type.getValues().size()));
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
