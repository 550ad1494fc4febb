package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real {@code conductor server} process and its real workers: what a worker inherits of the
 * conductor's environment, and what SIGTERM does to jobs in flight and to the log.
 */
class ConductorStopIT {

  private static final String TENANT = "stopper";
  private static final String TOKEN = "e2e-" + UUID.randomUUID();
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(90);
  // What the conductor gives a worker (worker-container/README.md) and the basics it passes on.
  private static final Set<String> WORKER_VARIABLES =
      Set.of(
          "CONDUCTOR_WORKER_ID",
          "CONDUCTOR_TENANT",
          "CONDUCTOR_AFFINITY_KEY",
          "CONDUCTOR_WORKER_CAPACITY",
          "CONDUCTOR_BUS_KIND",
          "CONDUCTOR_BUS_URL",
          "CONDUCTOR_BUS_USER",
          "CONDUCTOR_BUS_PASSWORD",
          "CONDUCTOR_BUS_TOPIC_SHARDS",
          "CONDUCTOR_JOB_TOPIC",
          "CONDUCTOR_CONTROL_QUEUE",
          "CONDUCTOR_HEARTBEAT_INTERVAL",
          "CONDUCTOR_SHUTDOWN_GRACE",
          "CLASSPATH",
          "PATH",
          "HOME",
          "LANG",
          "LC_ALL",
          "TZ",
          "TMPDIR");

  private Path home;
  private final List<ConductorProcess> servers = new ArrayList<>();

  @RegisterExtension final ServerLogOnFailure serverLogs = new ServerLogOnFailure(() -> servers);

  @BeforeEach
  void createHome() throws IOException {
    home = Files.createTempDirectory("conductor-e2e-stop-");
  }

  @AfterEach
  void cleanUp() {
    try {
      servers.forEach(ConductorProcess::close);
      WorkerProcesses.killLeftover(home);
      Postmaster.stopLeftover(home);
    } finally {
      E2e.deleteRecursively(home);
    }
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aWorkerGetsNothingOfTheConductorsEnvironmentButWhatItNeeds() throws IOException {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Map<String, String> secrets = new HashMap<>();
    secrets.put("CONDUCTOR_ADMIN_TOKEN", TOKEN);
    secrets.put("CONDUCTOR_SECRETS_KEY", Base64.getEncoder().encodeToString(key));
    secrets.put("CONDUCTOR_DB_PASSWORD", "db-" + UUID.randomUUID());
    secrets.put("AWS_SECRET_ACCESS_KEY", "cloud-" + UUID.randomUUID());
    ConductorProcess server = start("ConductorStopIT-environment", secrets);
    ConductorApi tenant = new ConductorApi(server.url(), onboard(server));
    String id = tenant.post("/v1/jobs", sleepJob(60_000), 202).path("id").asText();
    awaitStatus(tenant, id, "RUNNING");

    Map<String, ProcessHandle> workers = WorkerProcesses.running(home);
    assertThat(workers).hasSize(1);
    Map<String, String> environment = environmentOf(workers.values().iterator().next());

    assertThat(environment.keySet()).isSubsetOf(WORKER_VARIABLES);
    for (Map.Entry<String, String> secret : secrets.entrySet()) {
      assertThat(environment.values())
          .as("the worker's environment holds the conductor's " + secret.getKey())
          .noneMatch(value -> value.contains(secret.getValue()));
    }
    assertThat(environment.get("CONDUCTOR_TENANT")).isEqualTo(TENANT);
    assertThat(environment.get("CONDUCTOR_BUS_USER")).isNotBlank();
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void sigtermLetsAJobInFlightFinishWithinTheGraceAndItDoesNotRunAgainAfterARestart() {
    // Longer than anything the conductor waited for before it honoured the grace (10 s).
    int sleepMs = 12_000;
    Map<String, String> environment = new HashMap<>();
    environment.put("CONDUCTOR_ADMIN_TOKEN", TOKEN);
    environment.put("CONDUCTOR_WORKERS_SHUTDOWN_GRACE", "30s");
    ConductorProcess first = start("ConductorStopIT-draining", environment);
    ConductorApi tenant = new ConductorApi(first.url(), onboard(first));
    String id = tenant.post("/v1/jobs", sleepJob(sleepMs), 202).path("id").asText();
    awaitStatus(tenant, id, "RUNNING");

    assertThat(first.stop(STOP_WITHIN)).as("the conductor stopped by itself").isTrue();
    assertThat(WorkerProcesses.running(home)).as("worker processes after the stop").isEmpty();

    ConductorProcess second =
        start("ConductorStopIT-restarted", environment, first.port(), first.busPort());
    JsonNode job = new ConductorApi(second.url(), tenantKey).get("/v1/jobs/" + id);
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.path("attempts").asInt()).as(job.toString()).isEqualTo(1);
    // A few reconcile passes: a job wrongly thought in flight would be dispatched again now.
    Poll.sleep(Duration.ofSeconds(5));
    job = new ConductorApi(second.url(), tenantKey).get("/v1/jobs/" + id);
    assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.path("attempts").asInt()).as(job.toString()).isEqualTo(1);
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void anIdleConductorStopsWithoutErrorsInItsLog() throws IOException {
    ConductorProcess server = start("ConductorStopIT-idle", Map.of("CONDUCTOR_ADMIN_TOKEN", TOKEN));
    ConductorApi tenant = new ConductorApi(server.url(), onboard(server));
    String id = tenant.post("/v1/jobs", sleepJob(10), 202).path("id").asText();
    awaitStatus(tenant, id, "SUCCEEDED");
    Path log = E2e.outputDirectory().resolve("ConductorStopIT-idle.log");
    long before = Files.size(log);

    assertThat(server.stop(STOP_WITHIN)).as("the conductor stopped by itself").isTrue();

    String stopping = Files.readString(log, StandardCharsets.UTF_8).substring((int) before);
    assertThat(stopping.lines())
        .as("log lines while stopping:\n" + stopping)
        .noneMatch(line -> line.contains(" ERROR "))
        .noneMatch(line -> line.contains("Exception"))
        .noneMatch(line -> line.startsWith("\tat "));
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aServerWhoseCliIsKilledStopsInOrderToo() throws Exception {
    ConductorProcess server =
        start("ConductorStopIT-orphan", Map.of("CONDUCTOR_ADMIN_TOKEN", TOKEN));
    Path log = E2e.outputDirectory().resolve("ConductorStopIT-orphan.log");

    List<ProcessHandle> jvms = server.killCliOnly();

    assertThat(jvms).as("the server JVM the CLI ran").hasSize(1);
    assertThat(jvms.get(0).onExit().get(STOP_WITHIN.toMillis(), TimeUnit.MILLISECONDS).isAlive())
        .isFalse();
    assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("conductor stopped home=");
  }

  private String tenantKey;

  private ConductorProcess start(String name, Map<String, String> environment) {
    return start(name, environment, E2e.freePort(), E2e.freePort());
  }

  private ConductorProcess start(
      String name, Map<String, String> environment, int httpPort, int busPort) {
    Map<String, String> variables = new HashMap<>(environment);
    variables.put("CONDUCTOR_WORKERS_HEARTBEAT_INTERVAL", "500ms");
    variables.put("CONDUCTOR_WORKERS_RECONCILE_INTERVAL", "500ms");
    ConductorProcess server = ConductorProcess.start(name, home, variables, httpPort, busPort);
    servers.add(server);
    return server;
  }

  private String onboard(ConductorProcess server) {
    ConductorApi admin = new ConductorApi(server.url(), TOKEN);
    JsonNode created =
        admin.post("/v1/tenants", ConductorApi.object("name", TENANT, "plan", "dev"), 202);
    tenantKey = created.path("apiKey").asText();
    assertThat(tenantKey).as(created.toString()).isNotBlank();
    Poll.until(
        "tenant " + TENANT + " READY",
        READY_WITHIN,
        () -> admin.get("/v1/tenants/" + TENANT).path("status").asText(),
        "READY"::equals);
    return tenantKey;
  }

  private static ObjectNode sleepJob(int ms) {
    ObjectNode job = (ObjectNode) ConductorApi.object("type", "sleep");
    job.putObject("payload").put("ms", ms);
    return job;
  }

  private static void awaitStatus(ConductorApi tenant, String id, String status) {
    Poll.until(
        "job " + id + " " + status,
        READY_WITHIN,
        () -> tenant.get("/v1/jobs/" + id).path("status").asText(),
        status::equals);
  }

  /** The process's environment as the kernel holds it. */
  private static Map<String, String> environmentOf(ProcessHandle process) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "environ"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> environment = new HashMap<>();
    for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
      int equals = entry.indexOf('=');
      if (equals > 0) {
        environment.put(entry.substring(0, equals), entry.substring(equals + 1));
      }
    }
    return environment;
  }
}
