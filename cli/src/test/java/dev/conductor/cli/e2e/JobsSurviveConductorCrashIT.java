package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariants 1 and 4 through a real conductor crash with jobs in flight: the conductor is killed
 * with SIGKILL while its workers (in their own sessions) run jobs, and restarted on the same home
 * and ports. Every accepted job must end SUCCEEDED exactly once, within the plan's attempts, and
 * once the tenant is idle no worker process of that home, from before or after the crash, is left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class JobsSurviveConductorCrashIT {

  private static final String TENANT = "survivor";
  private static final String TOKEN = "e2e-" + UUID.randomUUID();
  private static final List<String> KEYS = List.of("proxy-eu", "proxy-us");
  private static final int JOBS = 8;
  private static final int SLEEP_MS = 3000;
  private static final int PLAN_MAX_ATTEMPTS = 3;
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private static final Duration RUNNING_WITHIN = Duration.ofSeconds(60);
  private static final Duration JOBS_END_WITHIN = Duration.ofSeconds(120);
  private static final Duration WORKERS_TORN_DOWN_WITHIN = Duration.ofSeconds(60);
  private static final Duration PROCESSES_END_WITHIN = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern STARTED =
      Pattern.compile("^(\\S+) .*job started jobId=(\\S+) attempt=(\\d+)");
  // Short dev-plan timers: idle workers go within seconds, a silent one is LOST within 8 s.
  private static final Map<String, String> TIMERS =
      Map.of(
          "CONDUCTOR_ADMIN_TOKEN", TOKEN,
          "CONDUCTOR_PLANS_DEV_IDLE_TIMEOUT", "3s",
          "CONDUCTOR_WORKERS_HEARTBEAT_INTERVAL", "500ms",
          "CONDUCTOR_WORKERS_HEARTBEAT_TIMEOUT", "8s",
          "CONDUCTOR_WORKERS_RECONCILE_INTERVAL", "500ms",
          "CONDUCTOR_WORKERS_SHUTDOWN_GRACE", "5s");

  private Path home;
  private ConductorProcess crashed;
  private ConductorProcess restarted;
  private final List<String> jobIds = new ArrayList<>();
  // Worker processes alive right after the crash: they outlive the conductor (setsid).
  private final Map<String, ProcessHandle> survivors = new LinkedHashMap<>();
  private boolean jobsSucceeded;
  private boolean workersGone;

  @RegisterExtension
  final ServerLogOnFailure serverLogs =
      new ServerLogOnFailure(() -> Arrays.asList(crashed, restarted));

  @BeforeAll
  void createHome() throws IOException {
    home = Files.createTempDirectory("conductor-e2e-jobs-crash-");
  }

  @AfterAll
  void cleanUp() {
    try {
      // The restarted server first: closing the killed one stops whatever postgres the home runs.
      for (ConductorProcess server : Arrays.asList(restarted, crashed)) {
        if (server != null) {
          server.close();
        }
      }
      WorkerProcesses.killLeftover(home);
      Postmaster.stopLeftover(home);
    } finally {
      keepWorkerLogs();
      E2e.deleteRecursively(home);
    }
  }

  @Test
  @Order(1)
  void everyJobSucceedsOnceAfterTheConductorIsKilledAndRestarted() {
    crashed = ConductorProcess.start("JobsSurviveConductorCrashIT-killed", home, TIMERS);
    ConductorApi admin = new ConductorApi(crashed.url(), TOKEN);
    String apiKey = onboard(admin);
    ConductorApi tenant = new ConductorApi(crashed.url(), apiKey);
    for (int i = 0; i < JOBS; i++) {
      ObjectNode job = JSON.createObjectNode().put("type", "sleep");
      job.putObject("payload").put("ms", SLEEP_MS);
      job.put("affinityKey", KEYS.get(i % KEYS.size()));
      jobIds.add(tenant.post("/v1/jobs", job, 202).path("id").asText());
    }
    assertThat(jobIds).doesNotContain("").doesNotHaveDuplicates();

    JsonNode atCrash =
        Poll.until(
            "at least 2 of the " + JOBS + " jobs RUNNING",
            RUNNING_WITHIN,
            () -> {
              JsonNode jobs = jobs(tenant);
              if (count(jobs, "FAILED") + count(jobs, "CANCELLED") > 0) {
                throw new AssertionError("a job ended badly before the crash: " + jobs);
              }
              return jobs;
            },
            jobs -> count(jobs, "RUNNING") >= 2);
    Map<String, ProcessHandle> beforeCrash = WorkerProcesses.running(home);
    Postmaster orphanPostgres = Postmaster.of(home).orElseThrow();
    System.out.println("jobs when the conductor is killed:" + describe(atCrash));

    crashed.kill();

    assertThat(crashed.isAlive()).isFalse();
    assertThat(ProcessHandle.of(crashed.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    beforeCrash.forEach(
        (id, process) -> {
          if (process.isAlive()) {
            survivors.put(id, process);
          }
        });
    System.out.println(
        "worker processes before the crash:"
            + WorkerProcesses.describe(beforeCrash)
            + "\nstill alive after SIGKILL:"
            + WorkerProcesses.describe(survivors));
    assertThat(survivors)
        .as(
            "premise: the workers running jobs outlive the SIGKILLed conductor (own session); before"
                + " the crash:"
                + WorkerProcesses.describe(beforeCrash))
        .isNotEmpty();

    restarted =
        ConductorProcess.start(
            "JobsSurviveConductorCrashIT-restarted",
            home,
            TIMERS,
            crashed.port(),
            crashed.busPort());
    assertThat(orphanPostgres.isAlive())
        .as(
            "the postgres (pid %d) the killed conductor left is stopped by the restart",
            orphanPostgres.pid())
        .isFalse();
    ConductorApi after = new ConductorApi(restarted.url(), apiKey);
    JsonNode ended =
        Poll.until(
            "all " + JOBS + " jobs ended after the restart",
            JOBS_END_WITHIN,
            () -> {
              JsonNode jobs = jobs(after);
              if (count(jobs, "FAILED") + count(jobs, "CANCELLED") > 0) {
                throw new AssertionError("a job did not succeed:" + describe(jobs));
              }
              return jobs;
            },
            jobs -> stream(jobs).allMatch(job -> TERMINAL.contains(status(job))));
    System.out.println("jobs after the restart:" + describe(ended));

    List<String> listed = stream(ended).map(job -> job.path("id").asText()).toList();
    assertThat(listed)
        .as("each accepted job listed exactly once")
        .containsExactlyInAnyOrderElementsOf(jobIds);
    SoftAssertions.assertSoftly(
        softly -> {
          for (JsonNode job : (Iterable<JsonNode>) stream(ended)::iterator) {
            softly.assertThat(status(job)).as(job.toString()).isEqualTo("SUCCEEDED");
            softly
                .assertThat(job.path("attempts").asInt())
                .as("attempts of %s", job)
                .isBetween(1, PLAN_MAX_ATTEMPTS);
            softly.assertThat(job.path("error").isMissingNode()).as(job.toString()).isTrue();
          }
        });
    // Each job answers SUCCEEDED on its own too, not only in the list.
    for (String id : jobIds) {
      assertThat(status(after.get("/v1/jobs/" + id))).as(id).isEqualTo("SUCCEEDED");
    }
    jobsSucceeded = true;
  }

  @Test
  @Order(2)
  void onceIdleNoWorkerProcessOfTheHomeIsLeftFromBeforeOrAfterTheCrash() {
    assumeTrue(jobsSucceeded, "the jobs did not all succeed; the teardown is not checked");
    ConductorApi admin = new ConductorApi(restarted.url(), TOKEN);

    Poll.until(
        "no live worker of tenant " + TENANT,
        WORKERS_TORN_DOWN_WITHIN,
        () -> admin.get("/v1/workers?tenant=" + TENANT),
        workers -> workers.isArray() && workers.isEmpty());
    JsonNode all = admin.get("/v1/workers?tenant=" + TENANT + "&all=true");
    System.out.println("workers of " + TENANT + " after the teardown:" + describeWorkers(all));
    // An exiting JVM loses its command line before it is reaped: wait for the survivors too.
    boolean processesEnded =
        Poll.eventually(
            PROCESSES_END_WITHIN,
            () ->
                WorkerProcesses.running(home).isEmpty()
                    && survivors.values().stream().noneMatch(ProcessHandle::isAlive));

    SoftAssertions.assertSoftly(
        softly -> {
          softly
              .assertThat(processesEnded)
              .as(
                  "no process tagged with %s is alive %ds after the workers were torn down; left:%s",
                  home,
                  PROCESSES_END_WITHIN.toSeconds(),
                  WorkerProcesses.describe(WorkerProcesses.running(home)))
              .isTrue();
          survivors.forEach(
              (id, process) ->
                  softly
                      .assertThat(process.isAlive())
                      .as("worker %s (pid %d) from before the crash is alive", id, process.pid())
                      .isFalse());
          softly
              .assertThat(stream(all).map(worker -> worker.path("id").asText()).toList())
              .as("the workers from before the crash are known to the restarted conductor")
              .containsAll(survivors.keySet());
        });
    System.out.println("job deliveries to a worker's runner, from the worker logs:" + deliveries());
    workersGone = true;
  }

  @Test
  @Order(3)
  void sigtermStopsTheConductorAndLeavesNoWorkerOrPostgres() {
    assumeTrue(restarted != null && restarted.isAlive(), "no restarted conductor to stop");
    assumeTrue(workersGone, "the workers were not torn down; not checking the final stop");
    Postmaster postgres =
        Postmaster.of(home).orElseThrow(() -> new AssertionError("no postmaster.pid in " + home));

    boolean exited = restarted.stop(ConductorProcess.GRACEFUL_STOP);
    boolean nothingLeft =
        Poll.eventually(
            PROCESSES_END_WITHIN,
            () ->
                !postgres.isAlive()
                    && Postmaster.running(home).isEmpty()
                    && WorkerProcesses.running(home).isEmpty());

    SoftAssertions.assertSoftly(
        softly -> {
          softly
              .assertThat(exited)
              .as(
                  "conductor pid %d exited within %ds of SIGTERM (thread dump: %s)",
                  restarted.pid(),
                  ConductorProcess.GRACEFUL_STOP.toSeconds(),
                  restarted.threadDumpFile())
              .isTrue();
          softly
              .assertThat(nothingLeft)
              .as(
                  "no postgres (pid %d; running %s) or worker (%s) of %s left",
                  postgres.pid(),
                  Postmaster.running(home),
                  WorkerProcesses.describe(WorkerProcesses.running(home)),
                  home)
              .isTrue();
        });
  }

  /** Creates the tenant on the dev plan and waits for READY; returns its API key. */
  private static String onboard(ConductorApi admin) {
    JsonNode created =
        admin.post("/v1/tenants", ConductorApi.object("name", TENANT, "plan", "dev"), 202);
    String apiKey = created.path("apiKey").asText();
    assertThat(apiKey).as(created.toString()).isNotBlank();
    Poll.until(
        "tenant " + TENANT + " READY",
        READY_WITHIN,
        () -> {
          JsonNode tenant = admin.get("/v1/tenants/" + TENANT);
          if ("FAILED".equals(status(tenant))) {
            throw new AssertionError("provisioning failed: " + tenant);
          }
          return tenant;
        },
        tenant -> "READY".equals(status(tenant)));
    return apiKey;
  }

  private static JsonNode jobs(ConductorApi tenant) {
    return tenant.get("/v1/jobs?limit=500").path("items");
  }

  private static Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> elements = new ArrayList<>();
    array.forEach(elements::add);
    return elements.stream();
  }

  private static long count(JsonNode jobs, String status) {
    return stream(jobs).filter(job -> status.equals(status(job))).count();
  }

  private static String status(JsonNode node) {
    return node.path("status").asText();
  }

  private static String describe(JsonNode jobs) {
    Map<String, Long> byStatus =
        stream(jobs)
            .collect(
                Collectors.groupingBy(
                    JobsSurviveConductorCrashIT::status, HashMap::new, Collectors.counting()));
    StringBuilder text = new StringBuilder(" ").append(byStatus);
    jobs.forEach(
        job ->
            text.append("\n  job ")
                .append(job.path("id").asText())
                .append(' ')
                .append(job.path("affinityKey").asText())
                .append(' ')
                .append(status(job))
                .append(" attempts=")
                .append(job.path("attempts").asInt())
                .append(" worker=")
                .append(job.path("workerId").asText("-"))
                .append(job.has("error") ? " error=" + job.path("error").asText() : ""));
    return text.toString();
  }

  private static String describeWorkers(JsonNode workers) {
    StringBuilder text = new StringBuilder();
    workers.forEach(
        worker ->
            text.append("\n  worker ")
                .append(worker.path("id").asText())
                .append(' ')
                .append(worker.path("affinityKey").asText())
                .append(' ')
                .append(worker.path("state").asText())
                .append(" stopReason=")
                .append(worker.path("stopReason").asText("-")));
    return text.toString();
  }

  /**
   * Each {@code job started} line of the workers' logs, by job: a delivery of the job message to a
   * worker's runner, which runs the handler unless its {@code started} report cannot be sent. More
   * deliveries than attempts means a message was redelivered, e.g. because its completion was lost
   * with the broker. Reported, not asserted: delivery is at least once.
   */
  private String deliveries() {
    Map<String, List<String>> deliveries = new LinkedHashMap<>();
    jobIds.forEach(id -> deliveries.put(id, new ArrayList<>()));
    try (Stream<Path> logs = Files.list(home.resolve("workers"))) {
      for (Path log : logs.sorted().toList()) {
        String worker = log.getFileName().toString().substring(0, 8);
        for (String line : Files.readAllLines(log)) {
          Matcher started = STARTED.matcher(line);
          if (started.find()) {
            deliveries
                .computeIfAbsent(started.group(2), id -> new ArrayList<>())
                .add(started.group(1) + " attempt " + started.group(3) + " on " + worker);
          }
        }
      }
    } catch (IOException e) {
      return " (worker logs unreadable: " + e + ")";
    }
    StringBuilder text = new StringBuilder();
    deliveries.forEach(
        (id, lines) ->
            text.append("\n  job ")
                .append(id)
                .append(": ")
                .append(lines.size())
                .append(' ')
                .append(lines));
    return text.toString();
  }

  /** Copies the workers' logs to target/e2e before the home is deleted, for diagnosis. */
  private void keepWorkerLogs() {
    Path logs = home == null ? null : home.resolve("workers");
    if (logs == null || !Files.isDirectory(logs)) {
      return;
    }
    Path kept = E2e.outputDirectory().resolve("JobsSurviveConductorCrashIT-workers");
    try (Stream<Path> files = Files.list(logs)) {
      E2e.deleteRecursively(kept);
      Files.createDirectories(kept);
      for (Path log : files.toList()) {
        Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.err.println("could not keep the worker logs of " + home + ": " + e);
    }
  }
}
