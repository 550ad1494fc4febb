package dev.conductor.operator;

import io.micronaut.core.annotation.Nullable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an operator identity may do: {@code read-only} reads (GET and HEAD) outside {@code
 * /v1/admin}; {@code operator} anything outside {@code /v1/admin}; {@code admin} everything.
 */
public enum OperatorRole {
  ADMIN("admin"),
  OPERATOR("operator"),
  READ_ONLY("read-only");

  private final String wire;

  OperatorRole(String wire) {
    this.wire = wire;
  }

  /** The role as the API, the CLI and the database spell it. */
  public String wire() {
    return wire;
  }

  /** The role spelled so, case-insensitive; null for anything else. */
  public static @Nullable OperatorRole named(@Nullable String wire) {
    if (wire == null) {
      return null;
    }
    String wanted = wire.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(r -> r.wire.equals(wanted)).findFirst().orElse(null);
  }

  /** "admin, operator, read-only", for messages. */
  public static String choices() {
    return Arrays.stream(values()).map(OperatorRole::wire).collect(Collectors.joining(", "));
  }

  /**
   * Whether this role may send {@code method} to {@code path}. {@code /v1/admin} (backup, key
   * rotation, operators, audit) is the admin's alone, reads included: a backup holds every secret.
   */
  public boolean permits(String method, String path) {
    if (this == ADMIN) {
      return true;
    }
    if (path.equals("/v1/admin") || path.startsWith("/v1/admin/")) {
      return false;
    }
    return this == OPERATOR || method.equals("GET") || method.equals("HEAD");
  }
}
