package io.horae.cli.output;

/**
 * Marks a command that prints {@code -o yaml}; the root command refuses the format for every other
 * one, rather than printing a table where YAML was asked for.
 */
public interface YamlCapable {}
