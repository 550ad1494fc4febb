package dev.conductor.cli.e2e;

import static dev.conductor.cli.e2e.CliEndToEndIT.Credentials.NONE;
import static dev.conductor.cli.e2e.CliEndToEndIT.Credentials.VARIABLES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's walk through a tenant's life with the real {@code conductor} command against a
 * real {@code conductor server}: onboard, inspect, rotate the key, offboard, and every error a user
 * can cause, each as one line on stderr with its exit code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class CliEndToEndIT {

  private static final String TENANT = "acme";
  private static final Pattern API_KEY = Pattern.compile("ck_[A-Za-z0-9_-]+");
  private static final Pattern OPERATION_ID =
      Pattern.compile("operation ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})");
  private static final ObjectMapper JSON = new ObjectMapper();

  private Path home;
  private Path clientHome;
  private ConductorProcess server;
  private String createdKey;
  private String operationId;

  @RegisterExtension
  final ServerLogOnFailure serverLog = new ServerLogOnFailure(() -> Arrays.asList(server));

  @BeforeAll
  void startServer() throws IOException {
    home = Files.createTempDirectory("conductor-e2e-cli-");
    // A client home without an admin-token file: calls using it authenticate by flag or variable.
    clientHome = Files.createTempDirectory("conductor-e2e-client-");
    server = ConductorProcess.start("CliEndToEndIT-server", home, Map.of());
  }

  @AfterAll
  void stopServer() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      E2e.deleteRecursively(home);
      E2e.deleteRecursively(clientHome);
    }
  }

  @Test
  @Order(1)
  void serverWritesTheAdminTokenFileWhenItStarts() throws IOException {
    // Before any API request: `conductor server &` then `conductor tenants list` must just work.
    Path tokenFile = home.resolve("admin-token");

    assertThat(tokenFile)
        .as("admin-token in CONDUCTOR_HOME once /health is UP, before any API request")
        .isRegularFile();
    assertThat(Files.readString(tokenFile, StandardCharsets.UTF_8)).isNotBlank();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)))
        .isEqualTo("rw-------");
  }

  @Test
  @Order(2)
  void createWithWaitPrintsTheKeyOnceAndFollowsToReady() {
    adminToken(); // Makes sure the token file exists (see the test above).

    CliProcess.Result run =
        conductor(Credentials.TOKEN_FILE, "tenants", "create", TENANT, "--plan", "dev", "--wait");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).isEmpty();
    assertThat(run.out()).contains("Tenant 'acme' (plan dev) is PROVISIONING");
    List<String> keys = matches(API_KEY, run.out());
    assertThat(keys).as("API keys printed\n" + run).hasSize(1);
    createdKey = keys.get(0);
    assertThat(run.outLines()).contains("API key: " + createdKey);
    assertThat(run.out())
        .contains("Store it now")
        .contains("provision attempt 1 by local provisioner")
        .contains("tenant acme is READY");
    operationId = matches(OPERATION_ID, run.out()).get(0);
    assertThat(run.outLines()).last().isEqualTo("operation " + operationId + " succeeded");
  }

  @Test
  @Order(3)
  void listShowsTheTenantReady() {
    assumeCreated();
    CliProcess.Result run = conductor(Credentials.FLAGS, "tenants", "list");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.outLines().get(0)).matches("NAME\\s+PLAN\\s+STATUS\\s+UPDATED");
    assertThat(run.outLines())
        .anyMatch(line -> line.matches("acme\\s+dev\\s+READY\\s+\\d+[smhd] ago"));
  }

  @Test
  @Order(4)
  void showListsTheResourcesWithoutSecrets() throws IOException {
    assumeCreated();
    CliProcess.Result run = conductor(Credentials.VARIABLES, "tenants", "show", TENANT);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.outLines())
        .anyMatch(line -> line.matches("Name:\\s+acme"))
        .anyMatch(line -> line.matches("Status:\\s+READY"))
        .anyMatch(line -> line.matches("Operation:\\s+" + operationId));
    for (String kind : List.of("database", "queue", "app", "container")) {
      assertThat(run.outLines()).as(kind).anyMatch(line -> line.startsWith(kind + " "));
    }
    assertThat(run.outLines())
        .anyMatch(line -> line.matches("database\\s+database\\s+tenant_acme"))
        .anyMatch(line -> line.matches("database\\s+role\\s+tenant_acme_owner"))
        .anyMatch(line -> line.matches("queue\\s+jobTopic\\s+tenant\\.acme\\.jobs"))
        .anyMatch(line -> line.matches("queue\\s+controlQueue\\s+tenant\\.acme\\.control"));
    assertThat(run.out())
        .doesNotContainIgnoringCase("password")
        .doesNotContain("ck_")
        .doesNotContain(superuserPassword());
  }

  @Test
  @Order(5)
  void jsonOutputIsTheServersJsonWithoutSecrets() throws IOException {
    assumeCreated();
    CliProcess.Result show =
        conductor(Credentials.FLAGS, "tenants", "show", TENANT, "--output", "json");
    CliProcess.Result list = conductor(Credentials.VARIABLES, "tenants", "list", "--output=json");

    assertThat(show.exitCode()).as(show.toString()).isZero();
    JsonNode tenant = JSON.readTree(show.out());
    assertThat(tenant.path("name").asText()).isEqualTo(TENANT);
    assertThat(tenant.path("plan").asText()).isEqualTo("dev");
    assertThat(tenant.path("status").asText()).isEqualTo("READY");
    assertThat(tenant.path("operationId").asText()).isEqualTo(operationId);
    JsonNode resources = tenant.path("resources");
    assertThat(fieldNames(resources)).contains("database", "queue", "app", "container");
    assertThat(resources.path("database").path("database").asText()).isEqualTo("tenant_acme");
    assertThat(resources.path("database").path("role").asText()).isEqualTo("tenant_acme_owner");
    assertThat(resources.path("queue").path("jobTopic").asText()).isEqualTo("tenant.acme.jobs");
    assertThat(allFieldNames(tenant))
        .noneMatch(field -> field.toLowerCase().contains("password"))
        .doesNotContain("apiKey");
    assertThat(show.out()).doesNotContain(superuserPassword()).doesNotContain("ck_");

    assertThat(list.exitCode()).as(list.toString()).isZero();
    JsonNode tenants = JSON.readTree(list.out());
    assertThat(tenants.isArray()).as(list.out()).isTrue();
    assertThat(tenants.findValuesAsText("name")).contains(TENANT);
  }

  @Test
  @Order(6)
  void operationsShowListsTheProvisioningEvents() {
    assumeCreated();
    CliProcess.Result run = conductor(Credentials.FLAGS, "operations", "show", operationId);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.outLines())
        .anyMatch(line -> line.matches("Operation:\\s+" + operationId))
        .anyMatch(line -> line.matches("Tenant:\\s+acme"))
        .anyMatch(line -> line.matches("Status:\\s+SUCCEEDED"))
        .anyMatch(line -> line.matches(".*INFO\\s+provision attempt 1 by local provisioner"))
        .anyMatch(line -> line.matches(".*INFO\\s+tenant acme is READY"));
  }

  @Test
  @Order(7)
  void rotateKeyPrintsANewKeyOnce() {
    assumeCreated();
    CliProcess.Result run = conductor(Credentials.VARIABLES, "tenants", "rotate-key", TENANT);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("New API key for tenant 'acme'").contains("Store it now");
    List<String> keys = matches(API_KEY, run.out());
    assertThat(keys).as(run.toString()).hasSize(1);
    assertThat(keys.get(0)).isNotEqualTo(createdKey);
  }

  Stream<Arguments> userErrors() {
    String url = server.url().toString();
    String closed = "http://127.0.0.1:" + E2e.freePort();
    return Stream.of(
        Arguments.of("unknown tenant", 3, VARIABLES, "tenants show nope", "'nope' not found"),
        Arguments.of("name taken", 4, VARIABLES, "tenants create acme", "already exists"),
        Arguments.of("invalid name", 5, VARIABLES, "tenants create Bad_Name", "tenant name"),
        Arguments.of(
            "wrong token", 6, NONE, "tenants list --server " + url + " --token x", "token"),
        Arguments.of("no token anywhere", 6, NONE, "tenants list --server " + url, "token"),
        Arguments.of("unknown option", 2, VARIABLES, "tenants list --bogus", "--bogus"),
        Arguments.of("bad output format", 2, VARIABLES, "tenants list --output xml", "xml"),
        Arguments.of(
            "nothing listening",
            8,
            NONE,
            "tenants list --server " + closed + " --token " + adminToken(),
            "connection refused"));
  }

  @ParameterizedTest(name = "{0} exits {1}")
  @MethodSource("userErrors")
  @Order(8)
  void userErrorsAreOneLineOnStderrWithTheirExitCode(
      String situation, int exitCode, Credentials credentials, String args, String reason) {
    CliProcess.Result run = conductor(credentials, args.split(" "));

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(exitCode);
    assertThat(run.out()).as(run.toString()).isEmpty();
    assertThat(run.errLines()).as(run.toString()).hasSize(1);
    assertThat(run.err())
        .as(run.toString())
        .startsWith("error: ")
        .contains(reason)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  @Order(9)
  void deleteWithWaitOffboardsTheTenant() {
    assumeCreated();
    CliProcess.Result run = conductor(Credentials.FLAGS, "tenants", "delete", TENANT, "--wait");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.err()).as(run.toString()).isEmpty();
    assertThat(run.out())
        .contains("Deleting tenant 'acme'")
        .contains("deprovision attempt 1 by local provisioner")
        .contains("tenant acme is DELETED");
    assertThat(run.outLines()).last().asString().endsWith(" succeeded");
  }

  @Test
  @Order(10)
  void showAfterDeleteReportsDeleted() throws IOException {
    assumeCreated();
    CliProcess.Result table = conductor(Credentials.TOKEN_FILE, "tenants", "show", TENANT);
    CliProcess.Result json =
        conductor(Credentials.VARIABLES, "tenants", "show", TENANT, "--output", "json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.outLines()).anyMatch(line -> line.matches("Status:\\s+DELETED"));
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(JSON.readTree(json.out()).path("status").asText()).isEqualTo("DELETED");
  }

  /** The later steps are about the tenant the create step made; without it they are skipped. */
  private void assumeCreated() {
    assumeTrue(operationId != null, "tenant acme was not created");
  }

  /** Where the command finds the server and the operator token. */
  enum Credentials {
    /** The local operator: the server's CONDUCTOR_HOME (its admin-token file) and port. */
    TOKEN_FILE,
    /** --server and --token after the verb. */
    FLAGS,
    /** CONDUCTOR_URL and CONDUCTOR_TOKEN. */
    VARIABLES,
    /** Nothing: only what the arguments say. */
    NONE
  }

  /** Runs {@code conductor ARGS}; apart from TOKEN_FILE, the home it sees has no token file. */
  private CliProcess.Result conductor(Credentials credentials, String... args) {
    Map<String, String> environment = new HashMap<>();
    environment.put("CONDUCTOR_HOME", clientHome.toString());
    List<String> all = new ArrayList<>(List.of(args));
    switch (credentials) {
      case TOKEN_FILE -> {
        environment.put("CONDUCTOR_HOME", home.toString());
        environment.put("MICRONAUT_SERVER_PORT", Integer.toString(server.port()));
      }
      case FLAGS ->
          all.addAll(List.of("--server", server.url().toString(), "--token", adminToken()));
      case VARIABLES -> {
        environment.put("CONDUCTOR_URL", server.url().toString());
        environment.put("CONDUCTOR_TOKEN", adminToken());
      }
      case NONE -> {}
    }
    return CliProcess.run(environment, all.toArray(String[]::new));
  }

  /**
   * The operator token from the server's home. The server writes the file lazily, on the first API
   * request (see {@link #serverWritesTheAdminTokenFileWhenItStarts}), so one unauthenticated
   * request is sent first when it is missing.
   */
  private String adminToken() {
    Path tokenFile = home.resolve("admin-token");
    if (!Files.exists(tokenFile)) {
      requestWithoutToken();
    }
    return Poll.until(
        "the admin-token file in " + home,
        Duration.ofSeconds(30),
        () -> {
          try {
            return Files.exists(tokenFile)
                ? Files.readString(tokenFile, StandardCharsets.UTF_8).strip()
                : "";
          } catch (IOException e) {
            return "";
          }
        },
        token -> !token.isEmpty());
  }

  private void requestWithoutToken() {
    try {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(server.url() + "/v1/tenants")).build(),
              HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new AssertionError("server unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String superuserPassword() throws IOException {
    return Files.readString(home.resolve("postgres-password"), StandardCharsets.UTF_8).strip();
  }

  private static List<String> matches(Pattern pattern, String text) {
    List<String> found = new ArrayList<>();
    Matcher matcher = pattern.matcher(text);
    while (matcher.find()) {
      found.add(matcher.groupCount() > 0 ? matcher.group(1) : matcher.group());
    }
    return found;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> allFieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        names.add(field.getKey());
        names.addAll(allFieldNames(field.getValue()));
      }
    } else if (node.isArray()) {
      node.forEach(element -> names.addAll(allFieldNames(element)));
    }
    return names;
  }
}
