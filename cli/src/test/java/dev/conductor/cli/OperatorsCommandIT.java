package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `operators create/list/revoke` and `audit` against a real conductor: a token shown once, used
 * with its role, revoked; the audit log of what was done.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OperatorsCommandIT {
  @TempDir Path home;
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor = LiveConductor.start(Map.of());
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @Test
  void aTokenIsIssuedOnceUsedWithItsRoleListedAndRevoked() {
    Map<String, String> admin = environment(conductor.adminToken());
    CliRun created = CliRun.execute(admin, "operators", "create", "viewer", "--role", "read-only");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    String[] lines = created.out().split("\n");
    assertThat(lines[0]).isEqualTo("Operator token for 'viewer' (role read-only):");
    String token = lines[1];
    assertThat(token).startsWith("co_");
    assertThat(lines[2]).isEqualTo("Store it now: it will not be shown again.");

    CliRun listed = CliRun.execute(admin, "operators", "list");
    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(listed.out()).startsWith("NAME ").contains("built-in").doesNotContain(token);
    assertThat(listed.out().lines().filter(line -> line.startsWith("viewer ")).findFirst())
        .hasValueSatisfying(row -> assertThat(row).contains("read-only", "admin"));
    CliRun json = CliRun.execute(admin, "operators", "list", "--output", "json");
    assertThat(Json.parse(json.out()).findValuesAsText("name")).contains("admin", "viewer");

    Map<String, String> viewer = environment(token);
    assertThat(CliRun.execute(viewer, "tenants", "list").exitCode()).isZero();
    CliRun refused = CliRun.execute(viewer, "tenants", "create", "nope");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(refused.err())
        .startsWith("error: operator 'viewer' has role read-only")
        .hasLineCount(1);
    assertThat(CliRun.execute(viewer, "operators", "list").exitCode())
        .isEqualTo(ExitCodes.UNAUTHORIZED);

    CliRun revoked = CliRun.execute(admin, "operators", "revoke", "viewer", "--yes");
    assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
    assertThat(revoked.out())
        .isEqualTo("Revoked operator 'viewer': its token is refused from now on.\n");
    assertThat(CliRun.execute(viewer, "tenants", "list").exitCode())
        .isEqualTo(ExitCodes.UNAUTHORIZED);
    CliRun again = CliRun.execute(admin, "operators", "revoke", "viewer", "--yes");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void badInputIsOneLineAndCreatesNothing() {
    Map<String, String> admin = environment(conductor.adminToken());
    CliRun badRole = CliRun.execute(admin, "operators", "create", "someone", "--role", "boss");
    assertThat(badRole.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(badRole.err()).isEqualTo("error: role must be one of admin, operator, read-only\n");
    CliRun noRole = CliRun.execute(admin, "operators", "create", "someone");
    assertThat(noRole.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(CliRun.execute(admin, "operators", "list").out()).doesNotContain("someone");
  }

  @Test
  void theAuditLogShowsWhoDidWhatToWhichTenant() {
    Map<String, String> admin = environment(conductor.adminToken());
    CliRun created = CliRun.execute(admin, "operators", "create", "auditee", "--role", "operator");
    String token = created.out().split("\n")[1];
    Map<String, String> auditee = environment(token);
    assertThat(CliRun.execute(auditee, "tenants", "suspend", "ghost", "--yes").exitCode())
        .isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(CliRun.execute(auditee, "admin", "rotate-secrets-key", "--yes").exitCode())
        .isEqualTo(ExitCodes.UNAUTHORIZED);

    CliRun table = CliRun.execute(admin, "audit", "--actor", "auditee");
    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out().lines())
        .first()
        .asString()
        .startsWith("AT ")
        .contains("ACTOR", "ROLE", "ACTION", "TENANT", "STATUS");
    assertThat(table.out())
        .contains("secrets-key.rotate")
        .contains("tenant.suspend")
        .contains("ghost")
        .contains("403")
        .contains("404")
        .doesNotContain(token);

    CliRun first = CliRun.execute(admin, "audit", "--actor", "auditee", "--limit", "1");
    assertThat(first.out())
        .contains("More: conductor audit --cursor ")
        .contains("--actor auditee --limit 1");

    CliRun json = CliRun.execute(admin, "audit", "--tenant", "ghost", "--output", "json");
    JsonNode page = Json.parse(json.out());
    assertThat(page.get("items")).hasSize(1);
    assertThat(page.get("items").get(0).get("action").asText()).isEqualTo("tenant.suspend");
    assertThat(page.get("items").get(0).get("actor").asText()).isEqualTo("auditee");

    assertThat(CliRun.execute(auditee, "audit").exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
  }

  private Map<String, String> environment(String token) {
    Map<String, String> environment = LiveConductor.environment(conductor, home);
    environment.put("CONDUCTOR_TOKEN", token);
    return environment;
  }
}
