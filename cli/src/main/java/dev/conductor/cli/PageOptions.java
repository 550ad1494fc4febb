package dev.conductor.cli;

import jakarta.annotation.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --limit} and {@code --cursor} of a paged list, and the flags its next-page hint repeats.
 */
public final class PageOptions {

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Rows per page, 1 to 500 (default: the server's, 50).")
  @Nullable
  Integer limit;

  @Option(
      names = "--cursor",
      paramLabel = "CURSOR",
      description = "Where the previous page ended (its nextCursor).")
  @Nullable
  String cursor;

  public @Nullable Integer limit() {
    return limit;
  }

  public @Nullable String cursor() {
    return cursor;
  }

  /** " --limit N" when a limit was asked for: the next page keeps it. */
  public String limitFlag() {
    return limit == null ? "" : " --limit " + limit;
  }
}
