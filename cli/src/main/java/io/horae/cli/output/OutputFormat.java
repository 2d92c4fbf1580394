package io.horae.cli.output;

/** What {@code -o/--output} accepts. */
public enum OutputFormat {
  /** Aligned columns for people. */
  TABLE,
  /** Proto JSON for programs. */
  JSON
}
