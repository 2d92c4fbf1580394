package io.horae.server.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds {@link HoraeConfig} from parsed values by name: component {@code c} of the section record
 * in {@code HoraeConfig.s} takes the key {@code s.c} (or the name its {@link KeyName} gives), and
 * {@code peers} takes the parsed peers. Adding a key is its declaration in {@link Keys} plus the
 * component that carries it; nothing lists the keys a second time. A component without a key, or a
 * key no component takes, fails the first config load (and {@code ConfigBinderTest}).
 */
final class ConfigBinder {
  private static final String PEERS = "peers";

  private ConfigBinder() {}

  static HoraeConfig build(ParsedValues values, List<PeerConfig> peers) {
    RecordComponent[] sections = HoraeConfig.class.getRecordComponents();
    Object[] args = new Object[sections.length];
    for (int i = 0; i < sections.length; i++) {
      RecordComponent section = sections[i];
      if (section.getName().equals(PEERS)) {
        args[i] = peers;
        continue;
      }
      RecordComponent[] fields = section.getType().getRecordComponents();
      Object[] sectionArgs = new Object[fields.length];
      for (int j = 0; j < fields.length; j++) {
        sectionArgs[j] = values.get(key(section, fields[j]));
      }
      args[i] = construct(section.getType(), sectionArgs);
    }
    return (HoraeConfig) construct(HoraeConfig.class, args);
  }

  /** Every key some component takes, in the order of the records. */
  static List<String> boundKeyNames() {
    List<String> names = new ArrayList<>();
    for (RecordComponent section : HoraeConfig.class.getRecordComponents()) {
      if (section.getName().equals(PEERS)) {
        continue;
      }
      for (RecordComponent field : section.getType().getRecordComponents()) {
        names.add(keyName(section, field));
      }
    }
    return names;
  }

  /** The value of the key named {@code keyName} in {@code config}, read from its component. */
  static Object read(HoraeConfig config, String keyName) {
    for (RecordComponent section : HoraeConfig.class.getRecordComponents()) {
      if (section.getName().equals(PEERS)) {
        continue;
      }
      for (RecordComponent field : section.getType().getRecordComponents()) {
        if (keyName(section, field).equals(keyName)) {
          try {
            return field.getAccessor().invoke(section.getAccessor().invoke(config));
          } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + keyName, e);
          }
        }
      }
    }
    throw new IllegalArgumentException("no record component takes the key " + keyName);
  }

  private static Key<?> key(RecordComponent section, RecordComponent field) {
    String name = keyName(section, field);
    Key<?> key = Keys.BY_NAME.get(name);
    if (key == null) {
      throw new IllegalStateException(
          section.getType().getSimpleName()
              + "."
              + field.getName()
              + " takes the key "
              + name
              + ", which Keys does not declare");
    }
    return key;
  }

  private static String keyName(RecordComponent section, RecordComponent field) {
    KeyName named = field.getAnnotation(KeyName.class);
    return named != null ? named.value() : section.getName() + "." + field.getName();
  }

  private static Object construct(Class<?> record, Object[] args) {
    Class<?>[] types =
        Arrays.stream(record.getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class<?>[]::new);
    try {
      Constructor<?> canonical = record.getDeclaredConstructor(types);
      return canonical.newInstance(args);
    } catch (InvocationTargetException e) {
      // A record's own check (for example admin.tls without tls.enabled): its message as it is.
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + record.getSimpleName(), e);
    }
  }
}
