package io.horae.cli.apply;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Turns a proto message into YAML in the form {@link ProtoYamlReader} reads back: JSON names, set
 * fields only (proto3 defaults omitted), int64 as plain numbers, enums as names, map keys sorted,
 * and a bytes field that holds printable UTF-8 text as {@code <field>Text}. Generic: new fields
 * print without code here.
 */
final class ProtoYamlWriter {
  private static final JsonFormat.Printer WKT_PRINTER = JsonFormat.printer();

  private ProtoYamlWriter() {}

  /** The message as nested maps, lists and scalars, in field-number order. */
  static Map<String, Object> tree(MessageOrBuilder message) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (f.getType() == FieldDescriptor.Type.BYTES
          && !f.isRepeated()
          && isText((ByteString) e.getValue())) {
        out.put(
            f.getJsonName() + ProtoYamlReader.TEXT_SUFFIX,
            ((ByteString) e.getValue()).toStringUtf8());
      } else if (f.isMapField()) {
        Map<String, Object> map = new TreeMap<>();
        FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
        for (Object entry : (List<?>) e.getValue()) {
          MapEntry<?, ?> m = (MapEntry<?, ?>) entry;
          map.put(String.valueOf(m.getKey()), single(valueField, m.getValue()));
        }
        out.put(f.getJsonName(), map);
      } else if (f.isRepeated()) {
        List<Object> list = new ArrayList<>();
        for (Object item : (List<?>) e.getValue()) {
          list.add(single(f, item));
        }
        out.put(f.getJsonName(), list);
      } else {
        out.put(f.getJsonName(), single(f, e.getValue()));
      }
    }
    return out;
  }

  private static Object single(FieldDescriptor f, Object value) {
    return switch (f.getJavaType()) {
      case MESSAGE ->
          ProtoYamlReader.isWellKnown(f.getMessageType())
              ? wellKnown((Message) value)
              : tree((Message) value);
      case ENUM -> ((EnumValueDescriptor) value).getName();
      case BYTE_STRING -> Base64.getEncoder().encodeToString(((ByteString) value).toByteArray());
      case LONG ->
          f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
              ? new BigInteger(Long.toUnsignedString((Long) value))
              : value;
      case INT ->
          f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
              ? Integer.toUnsignedLong((Integer) value)
              : value;
      default -> value;
    };
  }

  /** A well-known type in its JSON form (a Duration as "1.5s", a Struct as a mapping, ...). */
  private static Object wellKnown(Message value) {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(WKT_PRINTER.print(value));
    } catch (InvalidProtocolBufferException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Valid UTF-8 without control characters other than tab, line feed and carriage return. */
  static boolean isText(ByteString bytes) {
    if (bytes.isEmpty() || !bytes.isValidUtf8()) {
      return false;
    }
    return bytes
        .toStringUtf8()
        .chars()
        .noneMatch(c -> (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F);
  }

  /** Block-style YAML of a tree, ending in a line break. */
  static String dump(Object tree) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndent(2);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setAllowUnicode(true);
    // Long URLs and bodies stay on one line: easier to grep and to diff.
    options.setSplitLines(false);
    return new Yaml(options).dump(tree);
  }

  /** One scalar or small tree on one line, as it would appear in a flow-style YAML file. */
  static String inline(Object value) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
    options.setSplitLines(false);
    options.setWidth(Integer.MAX_VALUE);
    return new Yaml(options).dump(value).strip();
  }
}
