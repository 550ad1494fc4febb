package dev.conductor.provisioning;

import jakarta.annotation.Nullable;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated tenant slug. Tenant names become database, role, topic and stack names, so they are
 * checked once, here, at the edge.
 */
public record TenantName(String value) {
  public static final int MIN_LENGTH = 3;
  public static final int MAX_LENGTH = 30;
  private static final Pattern SLUG = Pattern.compile("^[a-z][a-z0-9-]*[a-z0-9]$");
  private static final Set<String> RESERVED =
      Set.of(
          "postgres",
          "template0",
          "template1",
          "admin",
          "root",
          "conductor",
          "system",
          "public",
          "default",
          "tenant",
          "tenants",
          "activemq",
          "artemis",
          "pg",
          "internal");

  public TenantName {
    String problem = problemWith(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Returns why {@code candidate} is not a valid tenant name, or null if it is. */
  public static @Nullable String problemWith(@Nullable String candidate) {
    if (candidate == null || candidate.isEmpty()) {
      return "tenant name is required";
    }
    if (candidate.length() < MIN_LENGTH || candidate.length() > MAX_LENGTH) {
      return "tenant name must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long";
    }
    if (!SLUG.matcher(candidate).matches()) {
      return "tenant name must be a lowercase slug: a-z first, then a-z, 0-9 or '-', not ending in '-'";
    }
    if (candidate.contains("--")) {
      return "tenant name must not contain '--'";
    }
    if (RESERVED.contains(candidate)) {
      return "tenant name '" + candidate + "' is reserved";
    }
    return null;
  }

  @Override
  public String toString() {
    return value;
  }
}
