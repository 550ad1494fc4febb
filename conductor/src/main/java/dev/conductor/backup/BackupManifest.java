package dev.conductor.backup;

import java.util.List;
import java.util.Map;

/**
 * What a backup holds: its format, the schema version (the last Flyway migration) its rows fit,
 * when it was taken (an ISO instant), and each table's row count, in the order a restore loads
 * them.
 */
public record BackupManifest(
    String format,
    int formatVersion,
    String schemaVersion,
    String createdAt,
    Map<String, Long> rows) {
  public static final String FORMAT = "conductor-backup";
  public static final int FORMAT_VERSION = 1;
  public static final String ENTRY = "manifest.json";

  /** The conductor's own tables, each before the tables that refer to it. */
  public static final List<String> TABLES =
      List.of(
          "tenants",
          "tenant_resources",
          "operations",
          "operation_events",
          "workers",
          "jobs",
          "operator_tokens",
          "audit_events");

  public static String entry(String table) {
    return table + ".csv";
  }
}
