package dev.conductor;

import dev.conductor.backup.BackupManifest;
import dev.conductor.backup.RestoreRefusedException;
import dev.conductor.backup.StateRestore;
import dev.conductor.fleet.Reconciler;
import dev.conductor.fleet.TeardownListener;
import dev.conductor.fleet.WorkerDrain;
import dev.conductor.fleet.WorkerWatchdog;
import dev.conductor.home.ConductorHome;
import dev.conductor.home.EmbeddedPostgresServer;
import dev.conductor.home.InvalidSettingException;
import dev.conductor.home.LocalPorts;
import dev.conductor.home.StartupFailures;
import dev.conductor.messaging.artemis.ArtemisMessageBusProvider;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.replica.ReplicaLease;
import dev.conductor.reports.ReportListeners;
import dev.conductor.routing.Dispatcher;
import dev.conductor.routing.StalledDispatches;
import dev.conductor.routing.WaitingJobsSweep;
import dev.conductor.secret.AdminToken;
import dev.conductor.secret.SecretBox;
import dev.conductor.tls.ServerCertificate;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.http.server.netty.NettyEmbeddedServer;
import io.micronaut.inject.qualifiers.Qualifiers;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.scheduling.TaskExecutors;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Starts the control plane. With no configuration it runs on the embedded default: PostgreSQL and
 * Artemis started here, data in the conductor home. CONDUCTOR_DB_URL and CONDUCTOR_BUS_URL switch
 * to external servers; CONDUCTOR_BUS_KIND=servicebus to Azure Service Bus (no embedded broker).
 */
public final class ConductorServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConductorServer.class);
  private static final String HTTP_PORT_SETTING = "micronaut.server.port (MICRONAUT_SERVER_PORT)";
  private static final String BROKER_PORT_SETTING =
      "conductor.bus.artemis.embedded-port (CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT)";
  // The exit code of a start refused as configured (the CLI's usage code, cli/README.md).
  static final int USAGE = 2;
  // As the CLI's exit code for a failure that is a bug (sysexits' EX_SOFTWARE).
  static final int INTERNAL_ERROR = 70;

  /**
   * Set by the CLI that runs this server as its child: stop when that CLI ends, however it ends.
   */
  public static final String STOP_WITH_PARENT = "conductor.stop-with-parent";

  // Above the properties given to start() (order 0): the engines' addresses win.
  private static final int ENGINES_ORDER = 100;

  private final ConductorHome home;
  private final ApplicationContext context;
  private final Deque<AutoCloseable> embedded;

  private ConductorServer(
      ConductorHome home, ApplicationContext context, Deque<AutoCloseable> embedded) {
    this.home = home;
    this.context = context;
    this.embedded = embedded;
  }

  /**
   * Starts a conductor. {@code properties} override configuration (e.g. {@code conductor.home},
   * {@code micronaut.server.port}; port -1 picks a free one).
   */
  public static ConductorServer start(Map<String, Object> properties) {
    // Our own shutdown hook (main) closes everything in order; Micronaut's launcher would add
    // a second hook that deadlocks with it on SIGTERM.
    ApplicationContext context = context(properties);
    // Two phases: the settings as Micronaut resolves them (application.yml, environment,
    // properties), then the embedded engines they call for, then the beans on those engines.
    Environment settings = context.getEnvironment().start();
    ConductorHome home =
        ConductorHome.open(ConductorHome.rootFor(setting(settings, ConductorHome.PROPERTY)));
    Map<String, Object> engines = new HashMap<>();
    engines.put(ConductorHome.PROPERTY, home.root().toString());
    Deque<AutoCloseable> embedded = new ArrayDeque<>();
    try {
      int httpPort =
          LocalPorts.parse(setting(settings, "micronaut.server.port"), -1, HTTP_PORT_SETTING);
      String httpHost = setting(settings, "micronaut.server.host");
      LocalPorts.requireKnownHost(httpHost, "micronaut.server.host (MICRONAUT_SERVER_HOST)");
      LocalPorts.requireFree(httpHost, httpPort, "HTTP port", HTTP_PORT_SETTING);
      tls(settings, home, httpHost, httpPort).ifPresent(engines::putAll);
      // The embedded broker is for the artemis bus only.
      boolean embeddedBroker =
          setting(settings, "conductor.bus.kind").strip().equals(ArtemisMessageBusProvider.KIND)
              && setting(settings, "conductor.bus.artemis.url").isBlank();
      int brokerPort =
          embeddedBroker
              ? LocalPorts.parse(
                  setting(settings, "conductor.bus.artemis.embedded-port"), 0, BROKER_PORT_SETTING)
              : 0;
      LocalPorts.requireFree("127.0.0.1", brokerPort, "embedded broker port", BROKER_PORT_SETTING);
      if (setting(settings, "datasources.default.url").isBlank()) {
        EmbeddedPostgresServer postgres = embeddedDatabase(settings, home);
        embedded.push(postgres);
        engines.put("datasources.default.url", postgres.jdbcUrl(EmbeddedPostgresServer.DATABASE));
        engines.put("datasources.default.username", EmbeddedPostgresServer.SUPERUSER);
        engines.put("datasources.default.password", postgres.password());
      }
      if (embeddedBroker) {
        String password = home.secret("broker-password");
        EmbeddedArtemis broker =
            EmbeddedArtemis.start(
                new EmbeddedArtemis.Settings(
                    home.resolve("artemis"), "127.0.0.1", brokerPort, true, "conductor", password));
        embedded.push(broker);
        engines.put("conductor.bus.artemis.url", broker.url());
        engines.put("conductor.bus.artemis.user", "conductor");
        engines.put("conductor.bus.artemis.password", password);
      }
      // Above every other source: these replace the empty defaults that asked for the engines.
      settings.addPropertySource(PropertySource.of("embedded-engines", engines, ENGINES_ORDER));
      context.registerSingleton(ConductorHome.class, home);
      context.start();
      startHttp(context, httpPort);
      // The engines have made their files by now: owner only, like everything in the home.
      home.tighten();
      ConductorServer server = new ConductorServer(home, context, embedded);
      LOG.info("conductor started url={} home={}", server.url(), home.root());
      return server;
    } catch (RuntimeException e) {
      if (context.isRunning()) {
        context.close();
      } else {
        settings.stop();
      }
      closeAll(embedded);
      home.close();
      throw StartupFailures.explain(e);
    }
  }

  /** HTTPS on the HTTP port when conductor.tls.* asks for it: Micronaut's settings for it. */
  private static Optional<Map<String, Object>> tls(
      Environment settings, ConductorHome home, String host, int port) {
    String cert = setting(settings, "conductor.tls.cert");
    String key = setting(settings, "conductor.tls.key");
    String selfSignedValue = setting(settings, "conductor.tls.self-signed").strip();
    if (!selfSignedValue.isEmpty() && !selfSignedValue.matches("(?i)true|false")) {
      throw new InvalidSettingException(
          ServerCertificate.SELF_SIGNED_SETTING + " is not true or false: change it");
    }
    boolean selfSigned = Boolean.parseBoolean(selfSignedValue);
    if (!ServerCertificate.wanted(cert, key, selfSigned)) {
      return Optional.empty();
    }
    ServerCertificate certificate = ServerCertificate.prepare(home, cert, key, selfSigned, host);
    if (cert.isBlank()) {
      LOG.info(
          "tls self-signed certificate sha256={} ca-file={} (give it to the CLI with --ca-file)",
          certificate.fingerprint(),
          home.resolve(ServerCertificate.SELF_SIGNED_CERT));
    } else {
      LOG.info(
          "tls certificate subject={} sha256={}", certificate.subject(), certificate.fingerprint());
    }
    return Optional.of(certificate.serverSettings(port));
  }

  private static ApplicationContext context(Map<String, Object> properties) {
    return ApplicationContext.builder()
        .mainClass(ConductorServer.class)
        .properties(properties)
        .banner(false)
        .build();
  }

  private static EmbeddedPostgresServer embeddedDatabase(Environment settings, ConductorHome home) {
    // 0: the port this home's database had before (tenants were given it), or a new one.
    int port =
        LocalPorts.parse(
            setting(settings, "conductor.database.embedded-port"),
            0,
            EmbeddedPostgresServer.PORT_SETTING);
    return EmbeddedPostgresServer.start(home, port, home.secret("postgres-password"));
  }

  /**
   * Restores a backup ({@code GET /v1/admin/backup}) into the conductor database these settings
   * name (the home's embedded one unless {@code datasources.default.url} is set), which must hold
   * no state yet; no conductor may run on it meanwhile (the home's lock sees to that for the
   * embedded database). Each table's row count goes to {@code progress}.
   *
   * @throws RestoreRefusedException when the backup cannot go there; nothing was stored
   */
  public static BackupManifest restore(
      Map<String, Object> properties, Path backup, Consumer<String> progress) throws IOException {
    ApplicationContext context = context(properties);
    Environment settings = context.getEnvironment().start();
    try (ConductorHome home =
        ConductorHome.open(ConductorHome.rootFor(setting(settings, ConductorHome.PROPERTY)))) {
      SecretBox secrets =
          new SecretBox(SecretBox.configuredKey(setting(settings, "conductor.secrets.key"), home));
      String url = setting(settings, "datasources.default.url");
      if (!url.isBlank()) {
        return StateRestore.restore(
            backup,
            new StateRestore.Target(
                url,
                setting(settings, "datasources.default.username"),
                setting(settings, "datasources.default.password"),
                secrets),
            progress);
      }
      try (EmbeddedPostgresServer postgres = embeddedDatabase(settings, home)) {
        return StateRestore.restore(
            backup,
            new StateRestore.Target(
                postgres.jdbcUrl(EmbeddedPostgresServer.DATABASE),
                EmbeddedPostgresServer.SUPERUSER,
                postgres.password(),
                secrets),
            progress);
      } finally {
        home.tighten();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("restore: " + e.getMessage(), e);
    } finally {
      settings.stop();
    }
  }

  /** A port taken between the check above and the bind still ends in one line, not a trace. */
  private static void startHttp(ApplicationContext context, int port) {
    try {
      context.getBean(EmbeddedServer.class).start();
    } catch (RuntimeException e) {
      context.close();
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof BindException bind) {
          throw LocalPorts.inUse("HTTP port", port, HTTP_PORT_SETTING, bind);
        }
      }
      throw e;
    }
  }

  /** A setting as resolved from every source, with its one default from application.yml. */
  private static String setting(Environment settings, String name) {
    return settings.getProperty(name, String.class).orElse("");
  }

  /** The base URL of the HTTP API, e.g. http://localhost:8080 (https with TLS on). */
  public URI url() {
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    return URI.create(server.getScheme() + "://localhost:" + server.getPort());
  }

  /** The operator token in force (from CONDUCTOR_ADMIN_TOKEN or the generated token file). */
  public String adminToken() {
    return context.getBean(AdminToken.class).value();
  }

  public Path home() {
    return home.root();
  }

  public ApplicationContext context() {
    return context;
  }

  /**
   * Stops in order: the HTTP API and routing first, then the workers, which finish their jobs in
   * flight while the control listeners and the database still record the results, then the
   * listeners; closing the context ends the bus client and the pool, and the embedded engines go
   * last.
   */
  @Override
  public void close() {
    boolean running = context.isRunning();
    try {
      if (running) {
        LOG.info("conductor stopping home={}", home.root());
        step("http", this::stopHttp);
        step("reconciler", () -> context.getBean(Reconciler.class).stop());
        step("watchdog", () -> context.getBean(WorkerWatchdog.class).stop());
        step("re-sends", () -> context.getBean(StalledDispatches.class).stop());
        step("routing sweep", () -> context.getBean(WaitingJobsSweep.class).stop());
        step("routing", () -> context.getBean(Dispatcher.class).stop());
        step("workers", () -> context.getBean(WorkerDrain.class).drainAll());
        step("report listeners", () -> context.getBean(ReportListeners.class).stop());
        step("teardown listener", () -> context.getBean(TeardownListener.class).stop());
        step("replica lease", () -> context.getBean(ReplicaLease.class).release());
        step("scheduled tasks", this::stopScheduledTasks);
        context.close();
      }
    } finally {
      closeAll(embedded);
      home.close();
    }
    if (running) {
      LOG.info("conductor stopped home={}", home.root());
    }
  }

  /**
   * No scheduled pass starts once the context closes: its bean, already destroyed, would be created
   * again from beans that are gone. A pass under way ends as its bean's stop allows.
   */
  private void stopScheduledTasks() {
    context.getBean(ExecutorService.class, Qualifiers.byName(TaskExecutors.SCHEDULED)).shutdown();
  }

  /** Stops taking requests; EmbeddedServer.stop() would close the whole context with it. */
  private void stopHttp() {
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    if (server instanceof NettyEmbeddedServer netty) {
      netty.stopServerOnly();
    } else {
      server.stop();
    }
  }

  /** One step of stopping; a failure is logged and the next step still runs. */
  private static void step(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.warn("stopping {} failed", what, e);
    }
  }

  private static void closeAll(Deque<AutoCloseable> embedded) {
    while (!embedded.isEmpty()) {
      try {
        embedded.pop().close();
      } catch (Exception e) {
        LOG.warn("embedded service did not stop cleanly", e);
      }
    }
  }

  /** Runs the conductor until the JVM is asked to stop (SIGTERM, Ctrl-C). */
  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("restore")) {
      System.exit(restoreMain(args));
      return;
    }
    ConductorServer server;
    try {
      server = start(Map.of());
    } catch (InvalidSettingException e) {
      // A setting to change, not a bug: one line and the usage exit code, as the CLI's errors.
      System.err.println("error: " + e.getMessage());
      System.exit(USAGE);
      return;
    } catch (RuntimeException e) {
      LOG.error("conductor failed to start", e);
      System.err.println("error: unexpected failure, please report it: " + e);
      System.exit(INTERNAL_ERROR);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (stopping.compareAndSet(false, true)) {
            try {
              server.close();
            } finally {
              stopped.countDown();
            }
          }
        };
    // SIGTERM and Ctrl-C stop everything in order before the JVM's shutdown hooks run: those run
    // concurrently with every library's own hooks, which may stop what the workers still need.
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), signal -> new Thread(stop, "conductor-shutdown").start());
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal (-Xrs): the shutdown hook below stops what it can.
        LOG.debug("no handler for SIG{}: {}", name, e.getMessage());
      }
    }
    // Run by `conductor server`: a CLI killed outright (SIGKILL) must not leave this server behind.
    if (Boolean.getBoolean(STOP_WITH_PARENT)) {
      ProcessHandle.current()
          .parent()
          .ifPresent(
              parent ->
                  parent.onExit().thenRun(() -> new Thread(stop, "conductor-shutdown").start()));
    }
    // Any other way out (System.exit elsewhere) still stops in order, as far as hooks allow.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  stop.run();
                  awaitQuietly(stopped);
                },
                "conductor-exit"));
    stopped.await();
    System.exit(0);
  }

  /** {@code restore FILE}: what {@code conductor admin restore} runs. */
  private static int restoreMain(String[] args) {
    if (args.length != 2) {
      System.err.println("error: usage: restore FILE");
      return USAGE;
    }
    Path file = Path.of(args[1]);
    if (!Files.isRegularFile(file)) {
      System.err.println("error: " + file + " is not a file");
      return USAGE;
    }
    try {
      BackupManifest manifest =
          restore(Map.of(), file, line -> System.out.println("restored " + line));
      System.out.println(
          "restored the backup of "
              + manifest.createdAt()
              + " (schema "
              + manifest.schemaVersion()
              + "): start the conductor on this home or database");
      return 0;
    } catch (RestoreRefusedException | InvalidSettingException e) {
      System.err.println("error: " + e.getMessage());
      return USAGE;
    } catch (IOException | RuntimeException e) {
      LOG.error("restore failed", e);
      System.err.println("error: restore failed, nothing was stored: " + e);
      return INTERNAL_ERROR;
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
