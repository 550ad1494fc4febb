package dev.conductor.cli;

public enum OutputFormat {
  TABLE,
  JSON
}
