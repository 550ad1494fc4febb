package dev.conductor.cli.demo;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.CreatedTenant;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.WorkerView;
import dev.conductor.cli.ConductorCli;
import dev.conductor.cli.ConnectionSettings;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import dev.conductor.cli.jobs.JobStatus;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * The demo's steps against a running conductor, each through the same CLI verb an operator or a
 * tenant's app would use; the API is read directly only to know when to move on and to check.
 */
public final class Walkthrough {

  static final List<String> KEYS = List.of("proxy-eu", "proxy-us");
  static final int SLEEP_MS = 800;
  private static final Duration JOBS_DEADLINE = Duration.ofSeconds(120);
  private static final Duration BUSY_DEADLINE = Duration.ofSeconds(60);
  private static final Duration TEARDOWN_DEADLINE = Duration.ofSeconds(30);
  private static final Duration PROCESS_EXIT_DEADLINE = Duration.ofSeconds(15);
  private static final Duration POLL = Duration.ofMillis(200);
  // ProcessWorkerRuntime.HOME_TAG, the server's mark on the workers it starts. Copied, not shared:
  // the CLI does not carry the server, and the check must ask the OS, not the server it checks.
  private static final String WORKER_HOME_TAG = "-Dconductor.worker.home=";
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean interactive;
  private final Map<String, String> operatorEnvironment;
  private final ConductorClient operator;
  private final String tenant;
  private final int jobsPerKey;
  private final Path home;
  @Nullable private final EngineContainers containers; // null: workers are processes

  // Set once the tenant exists, even if a later step of onboarding fails.
  @Nullable private TenantApp app;

  /**
   * @param operatorEnvironment CONDUCTOR_URL, CONDUCTOR_TOKEN and CONDUCTOR_HOME of the conductor
   * @param home the conductor's home, whose worker processes (or containers) must all end
   * @param containers where the workers run as containers of the local Docker engine, else null
   */
  public Walkthrough(
      PrintWriter out,
      PrintWriter err,
      boolean interactive,
      Map<String, String> operatorEnvironment,
      String tenant,
      int jobsPerKey,
      Path home,
      @Nullable EngineContainers containers) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
    this.operatorEnvironment = Map.copyOf(operatorEnvironment);
    this.operator = ConnectionSettings.resolve(null, null, this.operatorEnvironment).client();
    this.tenant = tenant;
    this.jobsPerKey = jobsPerKey;
    this.home = home;
    this.containers = containers;
  }

  /** Returns 0 only if every job SUCCEEDED on a worker of its key and every worker ended. */
  public int run() {
    int code = onboard();
    TenantApp app = this.app;
    if (app == null) {
      return code;
    }
    try {
      if (code == ExitCodes.OK) {
        code = runJobs(app);
      }
    } finally {
      int offboarded = offboard();
      if (code == ExitCodes.OK) {
        code = offboarded;
      }
    }
    return code;
  }

  /** Sets the tenant's environment once the tenant exists, even if a later step fails. */
  private int onboard() {
    header(
        "onboarding tenant '"
            + tenant
            + "' on plan dev; its API key is read from the JSON output (shown once)");
    Step created =
        cli(
            operatorEnvironment,
            true,
            "tenants",
            "create",
            tenant,
            "--plan",
            "dev",
            "--wait",
            "--output",
            "json");
    String apiKey =
        created.out().isBlank() ? null : Json.read(created.out(), CreatedTenant.class).apiKey();
    if (apiKey == null) {
      return created.code() == ExitCodes.OK ? ExitCodes.INTERNAL_ERROR : created.code();
    }
    Map<String, String> tenantEnvironment = new HashMap<>(operatorEnvironment);
    tenantEnvironment.put(ConnectionSettings.API_KEY_VARIABLE, apiKey);
    app =
        new TenantApp(
            tenantEnvironment,
            ConnectionSettings.forTenant(null, null, Map.copyOf(tenantEnvironment)).client());
    if (created.code() != ExitCodes.OK) {
      return created.code();
    }
    out.println();
    out.println("$ export " + ConnectionSettings.API_KEY_VARIABLE + "=" + apiKey);
    return cli(operatorEnvironment, false, "tenants", "show", tenant).code();
  }

  private int runJobs(TenantApp app) {
    int expected = jobsPerKey * KEYS.size() + KEYS.size();
    header(
        "submitting a burst as the tenant's app: "
            + jobsPerKey
            + " sleep jobs of "
            + SLEEP_MS
            + " ms and one echo job for each of the affinity keys "
            + String.join(" and ", KEYS));
    long burst = System.nanoTime();
    for (int i = 0; i < jobsPerKey; i++) {
      for (String key : KEYS) {
        int code =
            submit(
                app,
                "--type",
                "sleep",
                "--payload",
                "{\"ms\":" + SLEEP_MS + "}",
                "--affinity",
                key);
        if (code != ExitCodes.OK) {
          return code;
        }
      }
    }
    for (String key : KEYS) {
      int code =
          submit(
              app, "--type", "echo", "--payload", "{\"hello\":\"" + key + "\"}", "--affinity", key);
      if (code != ExitCodes.OK) {
        return code;
      }
    }

    header(
        "workers start on demand, each with a fresh GUID and one affinity key; jobs wait for their"
            + " worker's ready message");
    cli(operatorEnvironment, false, "workers", "list", "--tenant", tenant);
    if (waitUntil(BUSY_DEADLINE, () -> anyBusyWorker() || allJobsEnded(app))) {
      header("workers READY and running jobs (up to the plan's capacity of 2 each)");
      cli(operatorEnvironment, false, "workers", "list", "--tenant", tenant);
    }

    String newest = app.client().jobs(null, 1, null).items().get(0).id();
    header("following the newest job with the long-poll verb");
    cli(app.environment(), false, "jobs", "show", newest, "--wait");

    header("waiting for all " + expected + " jobs to end");
    if (!waitUntil(JOBS_DEADLINE, () -> allJobsEnded(app))) {
      out.println("FAILED: not every job ended within " + JOBS_DEADLINE.toSeconds() + " s");
    } else {
      out.println("all jobs ended " + seconds(burst) + " after the first was submitted");
    }
    long jobsEnded = System.nanoTime();
    cli(app.environment(), false, "jobs", "list");

    header("checking that every job ran on a worker of its own affinity key");
    List<JobView> jobs = allJobs(app);
    List<WorkerView> workers = operator.workers(tenant, true);
    out.print(DemoChecks.jobsByWorker(jobs, workers));
    DemoChecks.Verdict jobsVerdict = DemoChecks.jobs(jobs, workers, expected);
    out.println(jobsVerdict.text());

    header(
        "waiting (at most "
            + TEARDOWN_DEADLINE.toSeconds()
            + " s) for the idle workers' teardown messages: the demo's idle-timeout is 5 s");
    if (waitUntil(TEARDOWN_DEADLINE, () -> operator.workers(tenant, false).isEmpty())) {
      out.println("no live worker left, " + seconds(jobsEnded) + " after the jobs ended");
    } else {
      out.println("workers still live after " + TEARDOWN_DEADLINE.toSeconds() + " s");
    }
    cli(operatorEnvironment, false, "workers", "list", "--tenant", tenant, "--all");
    DemoChecks.Verdict workersVerdict = DemoChecks.workersEnded(operator.workers(tenant, true));
    out.println(workersVerdict.text());
    String kind = containers == null ? "worker process" : "worker container";
    boolean noProcesses = waitUntil(PROCESS_EXIT_DEADLINE, () -> leftoverWorkers().isEmpty());
    out.println(
        noProcesses
            ? "ok: no " + kind + " left" + (containers == null ? " running" : " on the engine")
            : "FAILED: " + kind + "s still there: " + leftoverWorkers());
    out.flush();
    return jobsVerdict.ok() && workersVerdict.ok() && noProcesses
        ? ExitCodes.OK
        : ExitCodes.OPERATION_FAILED;
  }

  private int offboard() {
    header("offboarding tenant '" + tenant + "': its workers stop, its resources are destroyed");
    int code = cli(operatorEnvironment, false, "tenants", "delete", tenant, "--wait").code();
    if (code == ExitCodes.OK) {
      code = cli(operatorEnvironment, false, "tenants", "show", tenant).code();
    }
    return code;
  }

  private int submit(TenantApp app, String... options) {
    List<String> args = new ArrayList<>(List.of("jobs", "submit"));
    args.addAll(List.of(options));
    return cli(app.environment(), false, args.toArray(String[]::new)).code();
  }

  private boolean anyBusyWorker() {
    return operator.workers(tenant, false).stream()
        .anyMatch(worker -> "READY".equals(worker.state()) && worker.inFlight() > 0);
  }

  private boolean allJobsEnded(TenantApp app) {
    return allJobs(app).stream().allMatch(job -> JobStatus.isFinal(job.status()));
  }

  private List<JobView> allJobs(TenantApp app) {
    return app.client().jobs(null, 500, null).items();
  }

  /** The worker processes or containers of this conductor home that are left. */
  private List<String> leftoverWorkers() {
    if (containers == null) {
      return workerProcesses().stream().map(pid -> "pid " + pid).toList();
    }
    try {
      return containers.workersOf(home);
    } catch (IOException e) {
      return List.of("(the Docker engine did not answer: " + e.getMessage() + ")");
    }
  }

  /**
   * Worker processes of this conductor home that are still alive: the process runtime tags each
   * worker's command line with its home, whatever the worker table says.
   */
  private List<Long> workerProcesses() {
    String tag = WORKER_HOME_TAG + home;
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(process -> List.of(process.info().arguments().orElse(new String[0])).contains(tag))
        .map(ProcessHandle::pid)
        .toList();
  }

  /** The tenant's app: the environment its CLI commands run with, and its API client. */
  private record TenantApp(Map<String, String> environment, ConductorClient client) {}

  private record Step(int code, String out) {}

  /** Runs one CLI command in this process; with {@code capture}, its stdout is also returned. */
  private Step cli(Map<String, String> environment, boolean capture, String... args) {
    out.println();
    out.println("$ conductor " + shellWords(args));
    out.flush();
    CommandLine command = ConductorCli.commandLine(environment, interactive);
    StringWriter captured = new StringWriter();
    command.setOut(capture ? new PrintWriter(captured, true) : out);
    command.setErr(err);
    int code = command.execute(args);
    if (capture) {
      out.print(captured);
    }
    out.flush();
    err.flush();
    return new Step(code, captured.toString());
  }

  private void header(String text) {
    out.println();
    out.println("==> " + text);
    out.flush();
  }

  /** Polls until the condition holds or the deadline passes; false if it passed. */
  private static boolean waitUntil(Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    return true;
  }

  private static String seconds(long startedNanos) {
    return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startedNanos) / 1e9);
  }

  /** The arguments as one would type them in a POSIX shell. */
  static String shellWords(String... args) {
    List<String> words = new ArrayList<>();
    for (String arg : args) {
      words.add(SHELL_SAFE.matcher(arg).matches() ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return String.join(" ", words);
  }
}
