package io.horae.cli.apply;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Fills a proto message from a composed YAML node, with the proto JSON mapping: keys are the
 * fields' lowerCamelCase JSON names (proto names are accepted too), int64 may be plain numbers,
 * enums are names, bytes are base64. Any field of any message works without code here.
 *
 * <p>The walk follows the message descriptor rather than the YAML tags, so a scalar is read as the
 * field's type says: {@code on} or {@code 2026-01-01} stay strings in a string field (no "Norway
 * problem"), and each leaf is handed to {@link JsonFormat} as a one-field JSON object, so a bad
 * value is reported with its path and line. A key {@code <field>Text} sets a bytes field from UTF-8
 * text ({@code bodyText}), the one friendly alias.
 */
final class ProtoYamlReader {
  /** Suffix of the UTF-8 text alias of a bytes field. */
  static final String TEXT_SUFFIX = "Text";

  /** Depth of nested YAML read into a well-known type (Struct, Value); job fields need 1. */
  static final int GENERIC_DEPTH_MAX = 16;

  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private ProtoYamlReader() {}

  /**
   * Merges a YAML mapping into {@code builder}.
   *
   * @param path where the mapping is, for messages ("" at the top)
   * @throws FieldProblem naming the path and line of the first bad key or value
   */
  static void merge(Node node, Message.Builder builder, String path) {
    MappingNode mapping = expect(node, MappingNode.class, path, "a mapping of field: value");
    Descriptor type = builder.getDescriptorForType();
    Set<FieldDescriptor> seen = new HashSet<>();
    Map<OneofDescriptor, String> oneofs = new HashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      ScalarNode keyNode = expect(tuple.getKeyNode(), ScalarNode.class, path, "a field name");
      String key = keyNode.getValue();
      String at = path.isEmpty() ? key : path + "." + key;
      Node value = tuple.getValueNode();
      FieldDescriptor field = field(type, key);
      boolean text = field == null && textAlias(type, key) != null;
      if (text) {
        field = textAlias(type, key);
      }
      if (field == null) {
        throw new FieldProblem(at, line(keyNode), "unknown field; known: " + known(type));
      }
      if (!seen.add(field)) {
        String also =
            field.getType() == FieldDescriptor.Type.BYTES
                ? " (as " + field.getJsonName() + " or " + field.getJsonName() + TEXT_SUFFIX + ")"
                : "";
        throw new FieldProblem(at, line(keyNode), "given twice" + also);
      }
      if (isNull(value)) {
        continue;
      }
      OneofDescriptor oneof = field.getRealContainingOneof();
      if (oneof != null) {
        String other = oneofs.putIfAbsent(oneof, key);
        if (other != null) {
          throw new FieldProblem(
              at,
              line(keyNode),
              "only one of " + oneofNames(oneof) + " may be given; " + other + " is given too");
        }
      }
      if (text) {
        builder.setField(
            field, ByteString.copyFromUtf8(expect(value, ScalarNode.class, at, "text").getValue()));
      } else if (isPlainMessage(field) && field.isRepeated()) {
        List<Node> items = expect(value, SequenceNode.class, at, "a list").getValue();
        for (int i = 0; i < items.size(); i++) {
          Message.Builder item = builder.newBuilderForField(field);
          merge(items.get(i), item, at + "[" + i + "]");
          builder.addRepeatedField(field, item.build());
        }
      } else if (isPlainMessage(field)) {
        merge(value, builder.getFieldBuilder(field), at);
      } else {
        mergeLeaf(value, field, builder, at);
      }
    }
  }

  /** A scalar, list of scalars, map or well-known type, through JsonFormat. */
  private static void mergeLeaf(
      Node node, FieldDescriptor field, Message.Builder builder, String at) {
    Value value;
    if (field.isMapField()) {
      FieldDescriptor valueField = field.getMessageType().findFieldByName("value");
      Struct.Builder map = Struct.newBuilder();
      for (NodeTuple entry :
          expect(node, MappingNode.class, at, "a mapping of key: value").getValue()) {
        String key = expect(entry.getKeyNode(), ScalarNode.class, at, "a key").getValue();
        map.putFields(key, single(entry.getValueNode(), valueField, at + "." + key));
      }
      value = Value.newBuilder().setStructValue(map).build();
    } else if (field.isRepeated()) {
      ListValue.Builder list = ListValue.newBuilder();
      List<Node> items = expect(node, SequenceNode.class, at, "a list").getValue();
      for (int i = 0; i < items.size(); i++) {
        list.addValues(single(items.get(i), field, at + "[" + i + "]"));
      }
      value = Value.newBuilder().setListValue(list).build();
    } else {
      value = single(node, field, at);
    }
    try {
      String json = PRINTER.print(Struct.newBuilder().putFields(field.getJsonName(), value));
      PARSER.merge(json, builder);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new FieldProblem(
          at, line(node), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  /**
   * One value of the field's type as JSON: the scalar's text as a JSON string, which JsonFormat
   * reads as a number, bool, enum or base64 as the field says (exact int64, no double rounding).
   */
  private static Value single(Node node, FieldDescriptor field, String at) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      return generic(node, at, 0);
    }
    String text = expect(node, ScalarNode.class, at, "a single value").getValue();
    if (field.getJavaType() == FieldDescriptor.JavaType.BOOLEAN) {
      text = text.toLowerCase(Locale.ROOT);
    }
    return Value.newBuilder().setStringValue(text).build();
  }

  /** Any YAML for a well-known type (Struct, Duration, ...), typed by the YAML tags. */
  private static Value generic(Node node, String at, int depth) {
    if (depth > GENERIC_DEPTH_MAX) {
      throw new FieldProblem(at, line(node), "nested deeper than " + GENERIC_DEPTH_MAX);
    }
    if (node instanceof MappingNode m) {
      Struct.Builder s = Struct.newBuilder();
      for (NodeTuple t : m.getValue()) {
        String key = expect(t.getKeyNode(), ScalarNode.class, at, "a key").getValue();
        s.putFields(key, generic(t.getValueNode(), at + "." + key, depth + 1));
      }
      return Value.newBuilder().setStructValue(s).build();
    }
    if (node instanceof SequenceNode q) {
      ListValue.Builder l = ListValue.newBuilder();
      for (Node item : q.getValue()) {
        l.addValues(generic(item, at, depth + 1));
      }
      return Value.newBuilder().setListValue(l).build();
    }
    ScalarNode s = expect(node, ScalarNode.class, at, "a value");
    if (isNull(s)) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (s.getTag().equals(Tag.BOOL)) {
      return Value.newBuilder().setBoolValue(Boolean.parseBoolean(s.getValue())).build();
    }
    if (s.getTag().equals(Tag.INT) || s.getTag().equals(Tag.FLOAT)) {
      try {
        return Value.newBuilder().setNumberValue(Double.parseDouble(s.getValue())).build();
      } catch (NumberFormatException e) {
        return Value.newBuilder().setStringValue(s.getValue()).build();
      }
    }
    return Value.newBuilder().setStringValue(s.getValue()).build();
  }

  private static FieldDescriptor field(Descriptor type, String key) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(key) || f.getName().equals(key)) {
        return f;
      }
    }
    return null;
  }

  /** The single bytes field that {@code key} is the text alias of, or null. */
  private static FieldDescriptor textAlias(Descriptor type, String key) {
    if (!key.endsWith(TEXT_SUFFIX)) {
      return null;
    }
    FieldDescriptor f = field(type, key.substring(0, key.length() - TEXT_SUFFIX.length()));
    return f != null && f.getType() == FieldDescriptor.Type.BYTES && !f.isRepeated() ? f : null;
  }

  /** A message that is walked field by field: not a map entry and not a well-known type. */
  static boolean isPlainMessage(FieldDescriptor f) {
    return f.getJavaType() == FieldDescriptor.JavaType.MESSAGE
        && !f.isMapField()
        && !isWellKnown(f.getMessageType());
  }

  static boolean isWellKnown(Descriptor type) {
    return type.getFile().getPackage().equals("google.protobuf");
  }

  private static boolean isNull(Node node) {
    return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }

  private static String known(Descriptor type) {
    return String.join(", ", type.getFields().stream().map(FieldDescriptor::getJsonName).toList());
  }

  private static String oneofNames(OneofDescriptor oneof) {
    return String.join(", ", oneof.getFields().stream().map(FieldDescriptor::getJsonName).toList());
  }

  private static <T extends Node> T expect(Node node, Class<T> kind, String at, String what) {
    if (kind.isInstance(node)) {
      return kind.cast(node);
    }
    String got =
        node instanceof MappingNode
            ? "a mapping"
            : node instanceof SequenceNode ? "a list" : "a single value";
    throw new FieldProblem(at, line(node), "expected " + what + ", got " + got);
  }

  static int line(Node node) {
    return node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
  }
}
