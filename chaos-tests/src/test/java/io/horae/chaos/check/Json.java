package io.horae.chaos.check;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Small helpers over Gson's tree model. Records are mapped by hand (the Gson on this classpath,
 * 2.8, predates record support), which also keeps the snake_case field names explicit.
 */
final class Json {
  /** One event per line: no pretty printing, no HTML escaping of {@code <>=&'}. */
  static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().create();

  static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

  private Json() {}

  static JsonObject parseObject(String text, String where) {
    JsonElement e;
    try {
      e = JsonParser.parseString(text);
    } catch (RuntimeException ex) {
      throw new IllegalArgumentException("bad JSON in " + where + ": " + ex.getMessage(), ex);
    }
    if (!e.isJsonObject()) {
      throw new IllegalArgumentException("expected a JSON object in " + where + ", got: " + text);
    }
    return e.getAsJsonObject();
  }

  static boolean has(JsonObject o, String field) {
    return o.has(field) && !o.get(field).isJsonNull();
  }

  static String string(JsonObject o, String field) {
    return has(o, field) ? o.get(field).getAsString() : null;
  }

  static Long longOrNull(JsonObject o, String field) {
    return has(o, field) ? o.get(field).getAsLong() : null;
  }

  static long requiredLong(JsonObject o, String field) {
    if (!has(o, field)) {
      throw new IllegalArgumentException("missing field " + field + " in " + o);
    }
    return o.get(field).getAsLong();
  }

  static List<String> strings(JsonObject o, String field) {
    if (!has(o, field)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonElement e : o.getAsJsonArray(field)) {
      out.add(e.getAsString());
    }
    return List.copyOf(out);
  }

  static JsonArray array(List<String> values) {
    JsonArray a = new JsonArray();
    values.forEach(a::add);
    return a;
  }
}
