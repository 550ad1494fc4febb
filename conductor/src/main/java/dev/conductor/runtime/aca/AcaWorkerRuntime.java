package dev.conductor.runtime.aca;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import com.azure.resourcemanager.appcontainers.fluent.models.JobExecutionBaseInner;
import com.azure.resourcemanager.appcontainers.fluent.models.JobExecutionInner;
import com.azure.resourcemanager.appcontainers.fluent.models.JobInner;
import com.azure.resourcemanager.appcontainers.models.Container;
import com.azure.resourcemanager.appcontainers.models.EnvironmentVar;
import com.azure.resourcemanager.appcontainers.models.JobExecutionContainer;
import com.azure.resourcemanager.appcontainers.models.JobExecutionRunningState;
import com.azure.resourcemanager.appcontainers.models.JobExecutionTemplate;
import com.azure.resourcemanager.appcontainers.models.JobPatchProperties;
import com.azure.resourcemanager.appcontainers.models.JobPatchPropertiesProperties;
import com.azure.resourcemanager.appcontainers.models.Secret;
import dev.conductor.home.ConductorHome;
import dev.conductor.provisioner.AzureWorkerLocationSettings;
import dev.conductor.provisioning.pulumi.azure.AzureWorkerJob;
import dev.conductor.runtime.WorkerExit;
import dev.conductor.runtime.WorkerLaunch;
import dev.conductor.runtime.WorkerRuntime;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each worker as an execution of its tenant's Container Apps job, the one the azure program
 * declared for the worker's location ({@link AcaWorkerJobs}: the default job, or the job in that
 * location's environment). An execution starts with a per-execution override of the job's
 * container: the job's own image, resources and environment, plus the worker's settings as plain
 * values and this conductor's identity ({@link AzureWorkerJob#OWNER_VARIABLE}), which is how a
 * restarted conductor finds its executions again. The bus key is never a plain value (an
 * execution's template is readable by anyone who may read the job): the runtime puts it into the
 * job's secret {@link AzureWorkerJob#BUS_PASSWORD_SECRET} and the override references that. A
 * reference is {@code <job>/<execution>}. ARM has no event stream, so ended executions are found by
 * polling.
 */
@Singleton
@Named("aca")
public class AcaWorkerRuntime implements WorkerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(AcaWorkerRuntime.class);

  private static final Set<JobExecutionRunningState> RUNNING =
      Set.of(
          JobExecutionRunningState.RUNNING,
          JobExecutionRunningState.PROCESSING,
          JobExecutionRunningState.UNKNOWN);
  private static final String BUS_URL_VARIABLE = "CONDUCTOR_BUS_URL";
  private static final Duration FINISHED_KEPT = Duration.ofMinutes(1);

  private final ContainerAppsApiClient arm;
  private final AcaWorkerJobs jobs;
  private final AcaWorkerLogs logs;
  private final AcaRuntimeSettings settings;
  private final String owner;
  // Exits by reference; an entry stays a minute after its execution was seen to end.
  private final Map<String, CompletableFuture<WorkerExit>> exits = new ConcurrentHashMap<>();
  // The fingerprint of the bus key each job's secret was last seen or made to hold.
  private final Map<String, String> busKeyIn = new ConcurrentHashMap<>();
  // Stops and the polling of ends: the named executor aca-runtime.
  private final ExecutorService effects;
  private volatile boolean closed;
  private volatile boolean pollFailing;

  @Inject
  AcaWorkerRuntime(
      ConductorHome home,
      AcaRuntimeSettings settings,
      List<AzureWorkerLocationSettings> locations,
      @Named("aca") TokenCredential credential,
      @Named("aca") HttpClient http,
      @Named("aca-runtime") ExecutorService effects) {
    this(
        home.root().toString(),
        settings,
        locations.stream().map(AzureWorkerLocationSettings::name).toList(),
        credential,
        http,
        effects);
  }

  /** Serving no locations: the tenants' default jobs only. */
  AcaWorkerRuntime(
      String owner,
      AcaRuntimeSettings settings,
      TokenCredential credential,
      HttpClient http,
      ExecutorService effects) {
    this(owner, settings, List.of(), credential, http, effects);
  }

  AcaWorkerRuntime(
      String owner,
      AcaRuntimeSettings settings,
      Collection<String> locations,
      TokenCredential credential,
      HttpClient http,
      ExecutorService effects) {
    this.owner = owner;
    this.settings = settings;
    this.effects = effects;
    this.arm = ContainerAppsArm.connect(settings, credential, http);
    this.jobs = new AcaWorkerJobs(arm, settings.resourceGroup(), locations);
    this.logs = new AcaWorkerLogs(arm, settings, credential, http);
    pollLater();
  }

  @Override
  public Set<String> locations() {
    return jobs.locations();
  }

  @Override
  public String start(WorkerLaunch launch) {
    String job = AcaWorkerJobs.nameOf(launch.tenant(), launch.location());
    try {
      JobInner definition = jobs.of(launch.tenant(), launch.location());
      Container template = templateContainer(job, definition);
      Map<String, String> environment = new LinkedHashMap<>(launch.environment());
      String password = environment.remove(AzureWorkerJob.BUS_PASSWORD_VARIABLE);
      if (password != null) {
        putBusKey(job, definition, password);
      }
      if (settings.busUrl() != null && environment.containsKey(BUS_URL_VARIABLE)) {
        environment.put(BUS_URL_VARIABLE, settings.busUrl());
      }
      environment.put(AzureWorkerJob.WORKER_ID_VARIABLE, launch.workerId().toString());
      environment.put(AzureWorkerJob.OWNER_VARIABLE, owner);
      // An override replaces the template's container whole: what the job holds is carried over.
      JobExecutionContainer container =
          new JobExecutionContainer()
              .withName(AzureWorkerJob.CONTAINER)
              .withImage(template.image())
              .withResources(template.resources())
              .withCommand(launch.command().isEmpty() ? template.command() : launch.command())
              .withArgs(launch.command().isEmpty() ? template.args() : null)
              .withEnv(environment(template, environment, password != null));
      JobExecutionBaseInner execution =
          arm.getJobs()
              .start(
                  settings.resourceGroup(),
                  job,
                  new JobExecutionTemplate().withContainers(List.of(container)),
                  Context.NONE);
      String ref = job + "/" + execution.name();
      exits.computeIfAbsent(ref, r -> new CompletableFuture<>());
      LOG.info(
          "worker execution started worker={} tenant={} job={} execution={}",
          launch.workerId(),
          launch.tenant(),
          job,
          execution.name());
      return ref;
    } catch (HttpResponseException e) {
      throw new IllegalStateException(
          "the Container Apps job " + job + " did not start an execution: " + reason(e));
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "Azure Resource Manager at " + settings.endpoint() + " cannot be reached: " + reason(e));
    }
  }

  /**
   * The job's environment (its own secrets by reference), then the worker's settings as values, and
   * the bus password as a reference to the job's secret, never its value.
   */
  private static List<EnvironmentVar> environment(
      Container template, Map<String, String> values, boolean busKey) {
    List<EnvironmentVar> env = new ArrayList<>();
    List<EnvironmentVar> inherited = template.env() == null ? List.of() : template.env();
    for (EnvironmentVar variable : inherited) {
      if (!values.containsKey(variable.name())) {
        env.add(variable);
      }
    }
    values.forEach((name, value) -> env.add(new EnvironmentVar().withName(name).withValue(value)));
    boolean referenced =
        env.stream().anyMatch(v -> AzureWorkerJob.BUS_PASSWORD_VARIABLE.equals(v.name()));
    if (busKey && !referenced) {
      env.add(
          new EnvironmentVar()
              .withName(AzureWorkerJob.BUS_PASSWORD_VARIABLE)
              .withSecretRef(AzureWorkerJob.BUS_PASSWORD_SECRET));
    }
    return env;
  }

  private static Container templateContainer(String job, JobInner definition) {
    List<Container> containers =
        definition.template() == null || definition.template().containers() == null
            ? List.of()
            : definition.template().containers();
    return containers.stream()
        .filter(c -> AzureWorkerJob.CONTAINER.equals(c.name()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the Container Apps job "
                        + job
                        + " has no container '"
                        + AzureWorkerJob.CONTAINER
                        + "': re-provision the tenant"));
  }

  /**
   * Makes the job's bus password secret hold {@code password}; the bus issues a new key on every
   * provisioning run, so this writes once per key, and only that one secret's value.
   */
  private synchronized void putBusKey(String job, JobInner definition, String password) {
    String fingerprint = fingerprint(password);
    if (fingerprint.equals(busKeyIn.get(job))) {
      return;
    }
    List<Secret> secrets =
        Optional.ofNullable(arm.getJobs().listSecrets(settings.resourceGroup(), job).value())
            .orElse(List.of());
    Secret current =
        secrets.stream()
            .filter(s -> AzureWorkerJob.BUS_PASSWORD_SECRET.equals(s.name()))
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "the Container Apps job "
                            + job
                            + " declares no secret "
                            + AzureWorkerJob.BUS_PASSWORD_SECRET
                            + ": re-provision the tenant"));
    if (!password.equals(current.value())) {
      List<Secret> updated = new ArrayList<>();
      for (Secret secret : secrets) {
        updated.add(
            secret == current
                ? new Secret().withName(AzureWorkerJob.BUS_PASSWORD_SECRET).withValue(password)
                : secret);
      }
      arm.getJobs()
          .update(
              settings.resourceGroup(),
              job,
              new JobPatchProperties()
                  .withProperties(
                      new JobPatchPropertiesProperties()
                          .withConfiguration(definition.configuration().withSecrets(updated))));
      LOG.info(
          "bus key put into the job's secret job={} secret={}",
          job,
          AzureWorkerJob.BUS_PASSWORD_SECRET);
    }
    busKeyIn.put(job, fingerprint);
  }

  /**
   * Stops the execution: Container Apps signals it, then kills it after its own grace (an execution
   * takes no grace of the caller's).
   */
  @Override
  public void stop(String runtimeRef, Duration grace) {
    inBackground(
        () -> {
          Ref ref = Ref.parse(runtimeRef);
          if (ref == null) {
            return;
          }
          try {
            arm.getJobs().stopExecution(settings.resourceGroup(), ref.job(), ref.execution());
          } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            if (status == 404 || status == 400 || status == 409) {
              LOG.debug("worker execution not stopped (ended?) ref={}: {}", runtimeRef, reason(e));
            } else {
              LOG.warn("worker execution stop failed ref={}: {}", runtimeRef, reason(e));
            }
          } catch (RuntimeException e) {
            LOG.warn("worker execution stop failed ref={}: {}", runtimeRef, reason(e));
          }
          // Its end is seen by the next poll: ARM takes a while to report an execution stopped.
        });
  }

  /** The job's outbound addresses, as ARM read at the start: its environment's egress. */
  @Override
  public Optional<String> egressAddress(WorkerLaunch launch) {
    return jobs.egressAddress(launch.tenant(), launch.location());
  }

  /** The execution's console output, from its environment's Log Analytics workspace. */
  @Override
  public Optional<String> runningLog(String runtimeRef, @Nullable Integer tail) {
    Ref ref = Ref.parse(runtimeRef);
    return ref == null ? Optional.empty() : logs.of(ref.job(), ref.execution(), tail);
  }

  /** Log Analytics keeps an execution's output after it ended; nothing copies it home. */
  @Override
  public boolean logOutlivesWorker() {
    return true;
  }

  /** Completes with a {@link WorkerExit} naming the execution's end once it has ended. */
  @Override
  public CompletableFuture<?> onExit(String runtimeRef) {
    return exits.computeIfAbsent(runtimeRef, r -> new CompletableFuture<>());
  }

  /** Whether it runs; an end met here is reported at once, before the caller acts on it. */
  @Override
  public boolean isRunning(String runtimeRef) {
    Ref ref = Ref.parse(runtimeRef);
    if (ref == null) {
      return false;
    }
    Optional<Execution> execution =
        executionsOf(ref.job()).stream()
            .filter(e -> e.name().equals(ref.execution()) && e.ours(owner))
            .findFirst();
    if (execution.isPresent() && execution.get().running()) {
      return true;
    }
    ended(runtimeRef, execution.map(Execution::exit).orElseGet(() -> gone(runtimeRef)));
    return false;
  }

  /** Running executions of this conductor across the tenants' worker jobs. */
  @Override
  public Map<UUID, String> list() {
    Map<UUID, String> running = new HashMap<>();
    for (String job : jobs.all()) {
      for (Execution execution : executionsOf(job)) {
        UUID workerId = execution.workerId();
        if (execution.running() && execution.ours(owner) && workerId != null) {
          running.put(workerId, execution.ref());
        } else if (!execution.running()) {
          ended(execution.ref(), execution.exit());
        }
      }
    }
    return running;
  }

  /** A backstop when the context closes: whatever still runs of this conductor is stopped. */
  @PreDestroy
  void close() {
    try {
      list().values().forEach(ref -> stop(ref, Duration.ZERO));
    } catch (RuntimeException e) {
      LOG.warn("worker executions not listed at close: {}", reason(e));
    }
    closed = true;
    effects.shutdown();
    try {
      effects.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Execution> executionsOf(String job) {
    List<Execution> executions = new ArrayList<>();
    try {
      for (JobExecutionInner execution :
          arm.getJobsExecutions().list(settings.resourceGroup(), job)) {
        executions.add(Execution.of(job, execution));
      }
    } catch (HttpResponseException e) {
      if (e.getResponse() == null || e.getResponse().getStatusCode() != 404) {
        throw e;
      }
      // The job is gone (the tenant was offboarded): so are its executions.
    }
    return executions;
  }

  /** Polls ends of the executions someone waits for, at the poll interval, until closed. */
  private void pollLater() {
    if (closed) {
      return;
    }
    // Once the executor is shut down the delayed task is refused, and polling ends.
    CompletableFuture.delayedExecutor(
            settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS, effects)
        .execute(this::poll);
  }

  private void poll() {
    try {
      Set<String> jobs = new HashSet<>();
      exits.forEach(
          (ref, exit) -> {
            Ref parsed = Ref.parse(ref);
            if (!exit.isDone() && parsed != null) {
              jobs.add(parsed.job());
            }
          });
      finishEnded(jobs);
      if (pollFailing) {
        pollFailing = false;
        LOG.info("worker executions polled again");
      }
    } catch (RuntimeException e) {
      // Once per outage: ARM down for long would otherwise fill the log.
      if (!pollFailing) {
        pollFailing = true;
        LOG.warn(
            "worker executions not polled, retrying every {}: {}",
            settings.pollInterval(),
            reason(e));
      }
    } finally {
      pollLater();
    }
  }

  /** Completes the exits of these jobs' ended (or vanished) executions. */
  private void finishEnded(Set<String> jobs) {
    for (String job : jobs) {
      Map<String, Execution> byName = new HashMap<>();
      executionsOf(job).forEach(e -> byName.put(e.name(), e));
      exits.forEach(
          (ref, exit) -> {
            Ref parsed = Ref.parse(ref);
            if (exit.isDone() || parsed == null || !parsed.job().equals(job)) {
              return;
            }
            Execution execution = byName.get(parsed.execution());
            if (execution == null) {
              ended(ref, gone(ref));
            } else if (!execution.running()) {
              ended(ref, execution.exit());
            }
          });
    }
  }

  /** Completes the exit someone waits for, if any; once, whoever sees the end first. */
  private void ended(String ref, WorkerExit how) {
    CompletableFuture<WorkerExit> exit = exits.get(ref);
    if (exit != null && exit.complete(how)) {
      LOG.info("worker execution ended ref={} {}", ref, how);
      CompletableFuture.delayedExecutor(FINISHED_KEPT.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> exits.remove(ref, exit));
    }
  }

  private static WorkerExit gone(String ref) {
    return new WorkerExit(-1, false, "Container Apps execution " + ref + " is gone");
  }

  /** Off the caller's thread; nothing once closed. */
  private void inBackground(Runnable effect) {
    try {
      effects.execute(effect);
    } catch (RejectedExecutionException e) {
      LOG.debug("aca runtime closed; effect dropped");
    }
  }

  /** ARM's error code and message (never a request body, which may hold a secret). */
  static String reason(Throwable error) {
    if (error instanceof ManagementException management && management.getValue() != null) {
      String code = management.getValue().getCode();
      String message = management.getValue().getMessage();
      return firstLine((code == null ? "" : code + ": ") + (message == null ? "" : message));
    }
    if (error instanceof HttpResponseException http && http.getResponse() != null) {
      return "HTTP " + http.getResponse().getStatusCode();
    }
    String message = error.getMessage();
    return message == null ? error.getClass().getSimpleName() : firstLine(message);
  }

  private static String firstLine(String message) {
    return message.strip().lines().findFirst().orElse(message).replaceAll("\\s+", " ");
  }

  private static String fingerprint(String secret) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code <job>/<execution>}. */
  private record Ref(String job, String execution) {
    static @Nullable Ref parse(String ref) {
      int slash = ref.indexOf('/');
      return slash <= 0 || slash == ref.length() - 1
          ? null
          : new Ref(ref.substring(0, slash), ref.substring(slash + 1));
    }
  }

  /** An execution as listed: its status and what its override says of its worker and owner. */
  private record Execution(
      String job,
      String name,
      JobExecutionRunningState status,
      @Nullable UUID workerId,
      @Nullable String owner) {

    static Execution of(String job, JobExecutionInner execution) {
      Map<String, String> values = new HashMap<>();
      JobExecutionTemplate template = execution.template();
      if (template != null && template.containers() != null) {
        for (JobExecutionContainer container : template.containers()) {
          if (AzureWorkerJob.CONTAINER.equals(container.name()) && container.env() != null) {
            for (EnvironmentVar variable : container.env()) {
              if (variable.name() != null && variable.value() != null) {
                values.put(variable.name(), variable.value());
              }
            }
          }
        }
      }
      JobExecutionRunningState status =
          execution.status() == null ? JobExecutionRunningState.UNKNOWN : execution.status();
      return new Execution(
          job,
          execution.name(),
          status,
          guid(values.get(AzureWorkerJob.WORKER_ID_VARIABLE)),
          values.get(AzureWorkerJob.OWNER_VARIABLE));
    }

    boolean running() {
      return RUNNING.contains(status);
    }

    boolean ours(String conductor) {
      return conductor.equals(owner);
    }

    String ref() {
      return job + "/" + name;
    }

    /** Succeeded is a clean exit; any other end is named by its status. */
    WorkerExit exit() {
      String how = "Container Apps execution " + name + " " + status;
      return JobExecutionRunningState.SUCCEEDED.equals(status)
          ? new WorkerExit(0, false, how)
          : new WorkerExit(-1, false, how);
    }

    private static @Nullable UUID guid(@Nullable String value) {
      if (value == null) {
        return null;
      }
      try {
        return UUID.fromString(value);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }
}
