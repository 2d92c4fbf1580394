package io.horae.cli.apply;

import com.google.protobuf.Descriptors.FieldDescriptor;
import io.horae.api.v1.Job;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lines of an update's diff: each changed field flattened into {@code path: value} lines (e.g.
 * {@code schedule.cron.expression: 0 4 * * *}, {@code target.headers[1].name: X-Team}); lines only
 * the stored job has are {@code - }, lines only the file has are {@code + }. Both sides are the
 * comparable forms, so secret values never appear.
 */
final class JobDiff {
  private JobDiff() {}

  static List<String> lines(
      Job comparableFile, Job comparableStored, List<FieldDescriptor> fields) {
    List<String> out = new ArrayList<>();
    for (FieldDescriptor f : fields) {
      Set<String> before = flatten(comparableStored, f);
      Set<String> after = flatten(comparableFile, f);
      before.stream().filter(l -> !after.contains(l)).forEach(l -> out.add("- " + l));
      after.stream().filter(l -> !before.contains(l)).forEach(l -> out.add("+ " + l));
    }
    return out;
  }

  private static Set<String> flatten(Job job, FieldDescriptor f) {
    Set<String> lines = new LinkedHashSet<>();
    flatten("", ProtoYamlWriter.tree(JobComparison.only(job, f)), lines);
    return lines;
  }

  private static void flatten(String path, Object value, Set<String> lines) {
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty() && !path.isEmpty()) {
        lines.add(path + ": {}");
      }
      map.forEach((k, v) -> flatten(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, lines));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        flatten(path + "[" + i + "]", list.get(i), lines);
      }
    } else {
      lines.add(path + ": " + ProtoYamlWriter.inline(value));
    }
  }
}
