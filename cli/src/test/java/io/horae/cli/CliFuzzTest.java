package io.horae.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.horae.cli.Cli.Result;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Goal: no command line, however wrong, makes {@code horae} throw, print a stack trace or answer
 * with anything but one line naming the problem and exit code 2 (usage) or 1 (runtime).
 *
 * <p>Method: {@code fuzz.cliCases} (300 by default) invocations made from picocli's own model of
 * the command tree, so that every subcommand and option is reached: a plausible command line with
 * one defect in it (an unknown option or subcommand, a wrong, empty, huge or control-character
 * value, a missing value, a repeated option, a stray argument). Commands that would start nodes,
 * write files or run a benchmark only get defects that fail while parsing. The endpoint is a port
 * nothing listens on, so a line that parses ends with a clean "cannot reach". Seeded: the seed is
 * printed and in every failure; {@code -Dfuzz.seed=N} replays a run.
 */
class CliFuzzTest {
  static final long SEED = seed();
  static final int CASES = Integer.getInteger("fuzz.cliCases", 300);

  /** Longest first line of stderr: an error names the problem, it does not echo a huge value. */
  static final int FIRST_LINE_CHARS_MAX = 1024;

  /**
   * An invocation that takes longer is listed in the output (not a failure): the run must stay
   * short.
   */
  static final long SLOW_MILLIS = 1000;

  private static final String NOWHERE = "--endpoints=127.0.0.1:1";

  /** Short, so that a line that parses fails fast at the unreachable endpoint. */
  private static final String TIMEOUT = "--timeout=200ms";

  /** Options every line sets (or the harness does); the fuzz leaves them alone. */
  private static final Set<String> FIXED =
      Set.of("--endpoints", "--timeout", "--horaeconfig", "--verbose");

  /** Attempts at a start that parses; the last one has only the required options. */
  private static final int BASE_ATTEMPTS_MAX = 4;

  /** Where path options point: nothing there, so nothing is read or overwritten. */
  private static final java.nio.file.Path NO_SUCH_DIR =
      java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "horae-cli-fuzz-no-such-dir");

  /** Start nodes, write files or run long: fuzzed only with defects that fail while parsing. */
  private static final Set<String> PARSE_ONLY =
      Set.of("server", "dev", "bench", "certs", "context use");

  private static final Pattern STACK_TRACE =
      Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(|Exception in thread|^Caused by: ");

  private static final List<String> BAD_VALUES =
      List.of(
          "",
          " ",
          "-",
          "--",
          "-1",
          "0",
          "99999999999999999999",
          "-9223372036854775809",
          "1e309",
          "NaN",
          "5x",
          "1h1h",
          "-5m",
          "P1D",
          "tomorrow",
          "2024-13-45T25:61:61Z",
          "x=y=z",
          "a:b:c",
          "127.0.0.1:99999",
          "[::1",
          "http://",
          "ftp://x",
          "@",
          "@/no/such/file",
          "\u0000",
          "\u001b[2J\u001b[31mred",
          "line\nbreak",
          "\t",
          "\uD800",
          "\uFEFF\u202Eevil",
          "Ω≈ç√",
          "${jndi:ldap://127.0.0.1:1/x}",
          "%s%n",
          "* * * * * * * *",
          "Mars/Olympus",
          "YAML",
          "xml");

  static final InputStream STDIN = System.in;
  static Random random;

  private static long seed() {
    String s = System.getProperty("fuzz.seed", "");
    return s.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(s.trim());
  }

  @BeforeAll
  static void emptyStdin() {
    System.out.println("CliFuzzTest seed=" + SEED + " cases=" + CASES);
    random = new Random(SEED);
    // "apply -f -" reads stdin: it must find it empty, not wait on the test runner's.
    System.setIn(new ByteArrayInputStream(new byte[0]));
  }

  @AfterAll
  static void restoreStdin() {
    System.setIn(STDIN);
  }

  /** One generated command line and the defect put in it. */
  record Invocation(
      int number, String command, List<String> args, String defect, String offending) {}

  @Test
  void everyBadCommandLineEndsWithOneLineNamingTheProblemAndAnErrorExitCode() {
    List<CommandSpec> leaves = new ArrayList<>();
    collect(new CommandLine(new HoraeCommand()).getCommandSpec(), leaves);
    List<String> failures = new ArrayList<>();
    List<String> slow = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < CASES; i++) {
      // Every command first, so that none is left out by chance.
      CommandSpec spec =
          i < leaves.size() ? leaves.get(i) : leaves.get(random.nextInt(leaves.size()));
      Invocation inv = generate(i, spec);
      long t0 = System.nanoTime();
      String problem = judge(inv);
      long tookMillis = (System.nanoTime() - t0) / 1_000_000;
      if (tookMillis > SLOW_MILLIS) {
        slow.add(
            tookMillis + " ms: case " + i + " [" + inv.defect() + "] horae " + show(inv.args()));
      }
      if (problem != null) {
        failures.add(
            "case "
                + inv.number()
                + " ["
                + inv.defect()
                + "] horae "
                + show(inv.args())
                + ": "
                + problem);
      }
    }
    System.out.printf(
        "CliFuzzTest seed=%d: %d invocations over %d commands in %d ms%n",
        SEED, CASES, leaves.size(), (System.nanoTime() - started) / 1_000_000);
    failures.forEach(f -> System.out.println("CliFuzzTest seed=" + SEED + " unclean: " + f));
    slow.forEach(f -> System.out.println("CliFuzzTest seed=" + SEED + " slow: " + f));
    assertThat(failures.stream().limit(8).toList())
        .as(
            "%d unclean invocations with seed %d (rerun with -Dfuzz.seed=%d); the first ones",
            failures.size(), SEED, SEED)
        .isEmpty();
  }

  @Test
  void aHugeValueIsNamedByItsStartAndLengthAndControlCharactersAreShownEscaped() {
    Result r = Cli.horae(NOWHERE, "job", "ls", "--output", "\u001b[2J" + "h".repeat(100_000));

    String first = r.err().lines().findFirst().orElse("");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(first)
        .startsWith("horae: ")
        .contains("'--output'")
        .contains("\\u001b[2J")
        .doesNotContain("\u001b")
        .endsWith("characters)");
    assertThat(first.length()).isLessThan(FIRST_LINE_CHARS_MAX);
  }

  private static void collect(CommandSpec spec, List<CommandSpec> out) {
    if (spec.subcommands().isEmpty()) {
      out.add(spec);
    }
    spec.subcommands().values().stream()
        .map(CommandLine::getCommandSpec)
        .distinct()
        .forEach(s -> collect(s, out));
  }

  private static String path(CommandSpec spec) {
    return spec.qualifiedName(" ").replaceFirst("^horae ?", "");
  }

  private Invocation generate(int number, CommandSpec spec) {
    String command = path(spec);
    List<OptionSpec> options =
        spec.options().stream()
            .filter(o -> !o.usageHelp() && !o.versionHelp() && !FIXED.contains(o.longestName()))
            .toList();
    // A start that parses, so that the defect put in below is the only one: a few options with
    // values of their type; if that does not parse (exclusive options, say), fewer.
    List<String> args = null;
    for (int attempt = 0; attempt <= BASE_ATTEMPTS_MAX && args == null; attempt++) {
      List<String> candidate = new ArrayList<>(List.of(NOWHERE, TIMEOUT));
      candidate.addAll(List.of(command.split(" ")));
      for (OptionSpec o : options) {
        if (o.required() || (attempt < BASE_ATTEMPTS_MAX && random.nextInt(4) == 0)) {
          candidate.add(o.longestName());
          if (o.arity().max() > 0) {
            candidate.add(plausible(o));
          }
        }
      }
      for (int p = 0; p < spec.positionalParameters().size(); p++) {
        candidate.add("fuzz-" + p);
      }
      if (parses(candidate) || attempt == BASE_ATTEMPTS_MAX) {
        args = candidate;
      }
    }
    boolean cleanBase = parses(args);
    boolean parseOnly =
        PARSE_ONLY.stream().anyMatch(c -> command.equals(c) || command.startsWith(c + " "));
    int kind = parseOnly ? random.nextInt(2) : random.nextInt(8);
    List<OptionSpec> valued = options.stream().filter(o -> o.arity().max() > 0).toList();
    if (kind >= 2 && kind <= 5 && valued.isEmpty()) {
      kind = random.nextInt(2);
    }
    switch (kind) {
      case 0 -> {
        String name = "--no-such-" + Integer.toString(random.nextInt(1 << 20), 36);
        // Right after the command's name: placed after an option, picocli would take it as that
        // option's value, and the line might parse.
        args.add(2 + command.split(" ").length, name);
        return new Invocation(number, command, args, "unknown option", cleanBase ? name : null);
      }
      case 1 -> {
        String word = "frobnicate" + random.nextInt(100);
        List<String> shortened = new ArrayList<>(List.of(NOWHERE, TIMEOUT));
        String[] parts = command.split(" ");
        shortened.addAll(List.of(parts).subList(0, Math.max(0, parts.length - 1)));
        shortened.add(word);
        return new Invocation(number, command, shortened, "unknown command", word);
      }
      case 2, 3 -> {
        OptionSpec o = valued.get(random.nextInt(valued.size()));
        String value = BAD_VALUES.get(random.nextInt(BAD_VALUES.size()));
        args.add(o.longestName());
        args.add(value);
        return new Invocation(number, command, args, "bad value for " + o.longestName(), null);
      }
      case 4 -> {
        OptionSpec o = valued.get(random.nextInt(valued.size()));
        args.add(o.longestName());
        args.add(random.nextBoolean() ? "h".repeat(100_000) : randomChars(2000));
        return new Invocation(number, command, args, "huge value for " + o.longestName(), null);
      }
      case 5 -> {
        OptionSpec o = valued.get(random.nextInt(valued.size()));
        args.add(o.longestName());
        return new Invocation(
            number, command, args, "missing value", cleanBase ? o.longestName() : null);
      }
      case 6 -> {
        String stray = "stray-" + random.nextInt(1000);
        args.add(stray);
        args.add("another-" + random.nextInt(1000));
        return new Invocation(number, command, args, "stray arguments", null);
      }
      default -> {
        args.add("--output");
        args.add(random.nextBoolean() ? "xml" : "");
        return new Invocation(number, command, args, "bad --output", cleanBase ? "--output" : null);
      }
    }
  }

  /** A value of the option's type that its converter takes. */
  private String plausible(OptionSpec o) {
    Class<?> type = o.type();
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return Integer.toString(random.nextInt(5));
    }
    if (type == double.class || type == Double.class) {
      return "2";
    }
    if (type.isEnum()) {
      Object[] values = type.getEnumConstants();
      return values[random.nextInt(values.length)].toString();
    }
    if (type == java.time.Duration.class) {
      return (1 + random.nextInt(60)) + "s";
    }
    if (type == java.time.Instant.class) {
      return "2030-01-01T00:00:00Z";
    }
    if (type == java.nio.file.Path.class) {
      return NO_SUCH_DIR.resolve("f" + random.nextInt(100)).toString();
    }
    return "v" + random.nextInt(100);
  }

  /**
   * For {@link #parses}: picocli resets every option before each parse, so one model serves all.
   */
  private static final CommandLine PARSER =
      new CommandLine(new HoraeCommand())
          .setCaseInsensitiveEnumValuesAllowed(true)
          .setExpandAtFiles(false);

  /** Whether picocli parses the line (converters included); nothing runs. */
  static boolean parses(List<String> args) {
    try {
      PARSER.parseArgs(args.toArray(String[]::new));
      return true;
    } catch (CommandLine.ParameterException e) {
      return false;
    }
  }

  private String randomChars(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) random.nextInt(0xD800));
    }
    return b.toString();
  }

  /** Null when the run ended cleanly; otherwise what was wrong. */
  static String judge(Invocation inv) {
    Result r;
    try {
      r = Cli.horae(inv.args().toArray(String[]::new));
    } catch (Throwable t) {
      return "threw " + t;
    }
    boolean valueDefect =
        inv.defect().startsWith("bad value") || inv.defect().startsWith("huge value");
    if (r.exitCode() == 0 && valueDefect && r.err().isEmpty()) {
      // A value the command takes as it is (a namespace, a context name it never looks up).
      return null;
    }
    if (r.exitCode() != 1 && r.exitCode() != 2) {
      return "exit code " + r.exitCode() + ", stderr " + head(r.err());
    }
    if (inv.defect().equals("unknown option")
        || inv.defect().equals("unknown command")
        || inv.defect().equals("missing value")) {
      if (r.exitCode() != 2) {
        return "a usage error with exit code " + r.exitCode() + ", stderr " + head(r.err());
      }
    }
    if (STACK_TRACE.matcher(r.err()).find() || STACK_TRACE.matcher(r.out()).find()) {
      return "a stack trace: " + head(r.err());
    }
    String first = r.err().lines().findFirst().orElse("");
    if (!first.startsWith("horae: ") || first.length() <= "horae: ".length()) {
      return "the first line of stderr does not say what is wrong: " + head(r.err());
    }
    if (first.length() > FIRST_LINE_CHARS_MAX) {
      return "a first line of " + first.length() + " characters: " + head(first);
    }
    if (first.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t')) {
      return "control characters in the message (a terminal would interpret them): " + head(first);
    }
    if (inv.offending() != null && !first.contains(inv.offending())) {
      return "the message does not name " + inv.offending() + ": " + head(first);
    }
    return null;
  }

  private static String show(List<String> args) {
    return head(
        String.join(
            " ",
            args.stream().map(a -> a.isEmpty() || a.contains(" ") ? "'" + a + "'" : a).toList()));
  }

  private static String head(String s) {
    String t = s.length() <= 300 ? s : s.substring(0, 300) + "... (" + s.length() + " chars)";
    return t.replace("\u001b", "\\e").replace("\n", "\\n");
  }
}
