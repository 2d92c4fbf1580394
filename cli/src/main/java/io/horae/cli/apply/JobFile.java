package io.horae.cli.apply;

import io.horae.api.v1.Job;
import io.horae.api.v1.Schedule;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Reads a job file: YAML documents separated by {@code ---}, each one job (a mapping) or a list of
 * jobs. The whole file is read and checked before anything is sent, and every problem is reported
 * at once, naming the file, the document, the line and the field. The file is user input, so its
 * size, aliases and nesting are bounded.
 */
final class JobFile {
  /** Largest file read; a job is typically well under 1 KiB. */
  static final int FILE_BYTES_MAX = 8 << 20;

  static final int JOBS_MAX = 10_000;

  /** Aliases of lists and mappings per document (the "billion laughs" guard). */
  static final int ALIASES_MAX = 50;

  static final int NESTING_DEPTH_MAX = 20;

  /** Problems listed in the error; the count of the rest follows. */
  static final int PROBLEMS_SHOWN_MAX = 20;

  private JobFile() {}

  /** A job of the file and where it is, e.g. {@code jobs.yaml, document 2, item 1, line 14}. */
  record Entry(Job job, String where) {
    String key() {
      return job.getNamespace() + "/" + job.getName();
    }
  }

  /**
   * Reads {@code file}, or standard input when it is {@code -}.
   *
   * @param defaultNamespace the namespace of jobs that name none
   * @throws JobFileException listing every problem found; nothing has been sent
   */
  static List<Entry> read(Path file, InputStream stdin, String defaultNamespace) {
    boolean isStdin = file.toString().equals("-");
    String name = isStdin ? "<stdin>" : file.toString();
    byte[] bytes;
    try {
      bytes = isStdin ? stdin.readNBytes(FILE_BYTES_MAX + 1) : readFile(file);
    } catch (IOException e) {
      throw new JobFileException(
          name
              + ": cannot read the file ("
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage())
              + "); nothing was changed");
    }
    if (bytes.length > FILE_BYTES_MAX) {
      throw new JobFileException(
          name + ": larger than " + FILE_BYTES_MAX + " bytes; split it; nothing was changed");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new JobFileException(name + ": not UTF-8 text; nothing was changed");
    }
    return parse(name, text, defaultNamespace);
  }

  private static byte[] readFile(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(FILE_BYTES_MAX + 1);
    }
  }

  /** Parses the text of a job file named {@code name}; see {@link #read}. */
  static List<Entry> parse(String name, String text, String defaultNamespace) {
    List<Entry> jobs = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int document = 0;
    try {
      for (Node root : yaml().composeAll(new StringReader(text))) {
        document++;
        readDocument(root, name + ", document " + document, defaultNamespace, jobs, problems);
        if (jobs.size() > JOBS_MAX) {
          throw new JobFileException(
              name + ": more than " + JOBS_MAX + " jobs; split the file; nothing was changed");
        }
      }
    } catch (YAMLException e) {
      // A syntax error or a limit: the rest of the stream cannot be read.
      problems.add(name + ", document " + (document + 1) + where(e) + ": " + yamlProblem(e));
    }
    checkUnique(jobs, problems);
    if (!problems.isEmpty()) {
      throw new JobFileException(problems, PROBLEMS_SHOWN_MAX);
    }
    return jobs;
  }

  private static void readDocument(
      Node root, String where, String defaultNamespace, List<Entry> jobs, List<String> problems) {
    if (root instanceof ScalarNode s && s.getTag().equals(Tag.NULL)) {
      return; // an empty document, e.g. after a trailing ---
    }
    if (root instanceof SequenceNode list) {
      for (int i = 0; i < list.getValue().size(); i++) {
        readJob(
            list.getValue().get(i), where + ", item " + (i + 1), defaultNamespace, jobs, problems);
      }
    } else if (root instanceof MappingNode) {
      readJob(root, where, defaultNamespace, jobs, problems);
    } else {
      problems.add(
          where
              + ", line "
              + ProtoYamlReader.line(root)
              + ": expected a job (a mapping) or a list of jobs");
    }
  }

  private static void readJob(
      Node node, String where, String defaultNamespace, List<Entry> jobs, List<String> problems) {
    String at = where + ", line " + ProtoYamlReader.line(node);
    try {
      Job job = JobDocument.read(node);
      if (job.getName().isEmpty()) {
        throw new FieldProblem("name", ProtoYamlReader.line(node), "is required");
      }
      if (job.getSchedule().getKindCase() == Schedule.KindCase.AFTER_MS) {
        throw new FieldProblem(
            "schedule.afterMs",
            ProtoYamlReader.line(node),
            "a relative time cannot be compared with the stored job on the next apply; give schedule.atMs (epoch milliseconds)");
      }
      if (job.getNamespace().isEmpty()) {
        job = job.toBuilder().setNamespace(defaultNamespace).build();
      }
      jobs.add(new Entry(job, at + " (" + job.getNamespace() + "/" + job.getName() + ")"));
    } catch (FieldProblem p) {
      problems.add(where + ", line " + p.line() + ": " + p.getMessage());
    }
  }

  private static void checkUnique(List<Entry> jobs, List<String> problems) {
    Map<String, Entry> byKey = new HashMap<>();
    for (Entry e : jobs) {
      Entry first = byKey.putIfAbsent(e.key(), e);
      if (first != null) {
        problems.add(e.where() + ": job " + e.key() + " is also at " + first.where());
      }
    }
  }

  private static Yaml yaml() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(FILE_BYTES_MAX);
    options.setMaxAliasesForCollections(ALIASES_MAX);
    options.setNestingDepthLimit(NESTING_DEPTH_MAX);
    options.setAllowRecursiveKeys(false);
    options.setAllowDuplicateKeys(false);
    // Only composed (nodes, no objects); the SafeConstructor is there so nothing could build types.
    DumperOptions unused = new DumperOptions();
    return new Yaml(new SafeConstructor(options), new Representer(unused), unused, options);
  }

  private static String where(YAMLException e) {
    if (e instanceof MarkedYAMLException m) {
      Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
      if (mark != null) {
        return ", line " + (mark.getLine() + 1);
      }
    }
    return "";
  }

  /** SnakeYAML's description without its snippet of the file, which may show a secret. */
  private static String yamlProblem(YAMLException e) {
    if (e instanceof MarkedYAMLException m) {
      String context = m.getContext() == null ? "" : m.getContext() + ": ";
      return "not valid YAML: " + context + m.getProblem();
    }
    return "not valid YAML: " + e.getMessage();
  }
}
