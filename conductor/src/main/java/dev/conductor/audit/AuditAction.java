package dev.conductor.audit;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a state-changing operator request does, named from its method and path ({@code
 * tenant.create}, {@code worker.drain}), and the tenant its path names, if any.
 */
record AuditAction(String name, @Nullable String tenant) {
  private record Rule(String method, Pattern path, String action) {}

  private static final String SEGMENT = "([^/]+)";

  /** The first group of a rule, when there is one, is the tenant's name. */
  private static final List<Rule> RULES =
      List.of(
          rule("POST", "/v1/tenants", "tenant.create"),
          rule("DELETE", "/v1/tenants/" + SEGMENT, "tenant.delete"),
          rule("PATCH", "/v1/tenants/" + SEGMENT, "tenant.update"),
          rule("POST", "/v1/tenants/" + SEGMENT + "/api-keys", "tenant.rotate-key"),
          rule("POST", "/v1/tenants/" + SEGMENT + "/jobs/[^/]+/rerun", "job.rerun"),
          rule("POST", "/v1/operations/[^/]+/cancel", "operation.cancel"),
          rule("POST", "/v1/workers/[^/]+/drain", "worker.drain"),
          rule("POST", "/v1/admin/secrets-key/rotate", "secrets-key.rotate"),
          rule("POST", "/v1/admin/operators", "operator.create"),
          rule("DELETE", "/v1/admin/operators/[^/]+", "operator.revoke"));

  /** {@code POST /v1/tenants/{name}/<verb>}: retry, preview, refresh, suspend, resume. */
  private static final Pattern TENANT_VERB =
      Pattern.compile("/v1/tenants/" + SEGMENT + "/([a-z][a-z-]*)");

  private static Rule rule(String method, String path, String action) {
    return new Rule(method, Pattern.compile(path), action);
  }

  /** Whether requests of this method change state, so are audited. */
  static boolean changesState(String method) {
    return switch (method) {
      case "POST", "PUT", "PATCH", "DELETE" -> true;
      default -> false;
    };
  }

  /**
   * The action of {@code method} on {@code path} (as the server routed it, without its query); a
   * request no rule names is {@code <method> <path>} in lower case.
   */
  static AuditAction of(String method, String path) {
    for (Rule rule : RULES) {
      Matcher match = rule.path().matcher(path);
      if (rule.method().equals(method) && match.matches()) {
        return new AuditAction(rule.action(), match.groupCount() > 0 ? match.group(1) : null);
      }
    }
    Matcher verb = TENANT_VERB.matcher(path);
    if (method.equals("POST") && verb.matches()) {
      return new AuditAction("tenant." + verb.group(2), verb.group(1));
    }
    return new AuditAction(method.toLowerCase(Locale.ROOT) + " " + path, null);
  }
}
