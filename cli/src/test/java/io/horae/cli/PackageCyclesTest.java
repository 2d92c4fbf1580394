package io.horae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of Horae's main code depend on each other, directly or through others: a
 * package's classes name (import or qualify) classes of another package only along an acyclic
 * graph. The graph is read from the sources of every module (comments included, which is stricter
 * than the compiler); generated protobuf packages ({@code io.horae.api}, {@code io.horae.internal})
 * are left out.
 */
class PackageCyclesTest {
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(io\\.horae(?:\\.[a-z]\\w*)+)\\.[A-Z]");

  @Test
  void theMainCodeOfEveryModuleHasNoPackageCycle() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    Path root = Path.of("..").toAbsolutePath().normalize();
    try (Stream<Path> modules = Files.list(root)) {
      for (Path module :
          modules.filter(m -> Files.isDirectory(m.resolve("src/main/java"))).toList()) {
        try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
          sources.filter(p -> p.toString().endsWith(".java")).forEach(p -> read(p, uses));
        }
      }
    }
    assertThat(uses)
        .as("packages read")
        .containsKeys("io.horae.server.api", "io.horae.cli", "io.horae.cli.job");

    assertThat(cycles(uses))
        .as("package cycles (each line: packages that depend on each other)")
        .isEmpty();
  }

  @Test
  void aCycleIsFound() {
    Map<String, Set<String>> uses =
        Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertThat(cycles(uses)).containsExactly(List.of("a", "b", "c"));
  }

  private static void read(Path source, Map<String, Set<String>> uses) {
    String text;
    try {
      text = Files.readString(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher p = PACKAGE.matcher(text);
    if (!p.find()) {
      return;
    }
    String pkg = p.group(1);
    Set<String> mine = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
    Matcher r = REFERENCE.matcher(text);
    while (r.find()) {
      String other = r.group(1);
      if (!other.equals(pkg)
          && !other.startsWith("io.horae.api")
          && !other.startsWith("io.horae.internal")) {
        mine.add(other);
      }
    }
  }

  /** The strongly connected components of more than one package (Tarjan), each sorted. */
  static List<List<String>> cycles(Map<String, Set<String>> uses) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new java.util.HashSet<>();
    List<List<String>> found = new ArrayList<>();
    for (String v : new TreeSet<>(uses.keySet())) {
      if (!index.containsKey(v)) {
        connect(v, uses, index, low, stack, onStack, found);
      }
    }
    return found;
  }

  private static void connect(
      String v,
      Map<String, Set<String>> uses,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> onStack,
      List<List<String>> found) {
    index.put(v, index.size());
    low.put(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (String w : uses.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, uses, index, low, stack, onStack, found);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      List<String> component = new ArrayList<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        component.add(w);
      } while (!w.equals(v));
      if (component.size() > 1) {
        component.sort(null);
        found.add(component);
      }
    }
  }
}
