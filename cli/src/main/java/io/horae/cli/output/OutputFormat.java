package io.horae.cli.output;

/** What {@code -o/--output} accepts. */
public enum OutputFormat {
  /** Aligned columns for people. */
  TABLE,
  /** Proto JSON for programs. */
  JSON,
  /**
   * Jobs as YAML documents that {@code horae apply} takes back (docs/jobs-as-code.md); only for the
   * commands that implement {@link YamlCapable}.
   */
  YAML
}
