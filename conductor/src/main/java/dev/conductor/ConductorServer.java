package dev.conductor;

import dev.conductor.control.ControlListeners;
import dev.conductor.home.ConductorHome;
import dev.conductor.home.EmbeddedPostgresServer;
import dev.conductor.home.LocalPorts;
import dev.conductor.home.StartupFailures;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.routing.Dispatcher;
import dev.conductor.secret.AdminToken;
import dev.conductor.workers.Reconciler;
import dev.conductor.workers.WorkerDrain;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.server.netty.NettyEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
    Map<String, String> env = System.getenv();
    ConductorHome home = ConductorHome.open(ConductorHome.resolve(properties, env));
    Map<String, Object> config = new HashMap<>(properties);
    config.put(ConductorHome.PROPERTY, home.root().toString());
    Deque<AutoCloseable> embedded = new ArrayDeque<>();
    try {
      int httpPort =
          LocalPorts.parse(
              setting(config, env, "micronaut.server.port", "MICRONAUT_SERVER_PORT", "8080"),
              -1,
              HTTP_PORT_SETTING);
      String httpHost =
          setting(config, env, "micronaut.server.host", "MICRONAUT_SERVER_HOST", "127.0.0.1");
      LocalPorts.requireKnownHost(httpHost, "micronaut.server.host (MICRONAUT_SERVER_HOST)");
      LocalPorts.requireFree(httpHost, httpPort, "HTTP port", HTTP_PORT_SETTING);
      boolean embeddedBroker =
          busKind(config, env).equals("artemis")
              && !configured(config, env, "conductor.bus.artemis.url", "CONDUCTOR_BUS_URL");
      int brokerPort = embeddedBroker ? embeddedBrokerPort(config, env) : 0;
      LocalPorts.requireFree("127.0.0.1", brokerPort, "embedded broker port", BROKER_PORT_SETTING);
      if (!configured(config, env, "datasources.default.url", "CONDUCTOR_DB_URL")) {
        EmbeddedPostgresServer postgres =
            EmbeddedPostgresServer.start(
                home, embeddedDatabasePort(config, env), home.secret("postgres-password"));
        embedded.push(postgres);
        config.put("datasources.default.url", postgres.jdbcUrl(EmbeddedPostgresServer.DATABASE));
        config.put("datasources.default.username", EmbeddedPostgresServer.SUPERUSER);
        config.put("datasources.default.password", postgres.password());
      }
      if (embeddedBroker) {
        String password = home.secret("broker-password");
        EmbeddedArtemis broker =
            EmbeddedArtemis.start(
                new EmbeddedArtemis.Settings(
                    home.resolve("artemis"), "127.0.0.1", brokerPort, true, "conductor", password));
        embedded.push(broker);
        config.put("conductor.bus.artemis.url", broker.url());
        config.put("conductor.bus.artemis.user", "conductor");
        config.put("conductor.bus.artemis.password", password);
      }
      // Our own shutdown hook (main) closes everything in order; Micronaut's launcher would add
      // a second hook that deadlocks with it on SIGTERM.
      ApplicationContext context =
          ApplicationContext.builder()
              .mainClass(ConductorServer.class)
              .properties(config)
              .singletons(home)
              .banner(false)
              .start();
      startHttp(context, httpPort);
      // The engines have made their files by now: owner only, like everything in the home.
      home.tighten();
      ConductorServer server = new ConductorServer(home, context, embedded);
      LOG.info("conductor started url={} home={}", server.url(), home.root());
      return server;
    } catch (RuntimeException e) {
      closeAll(embedded);
      home.close();
      throw StartupFailures.explain(e);
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

  private static String setting(
      Map<String, Object> config,
      Map<String, String> env,
      String property,
      String variable,
      String fallback) {
    Object value = config.get(property);
    if (value != null && !value.toString().isBlank()) {
      return value.toString();
    }
    String fromEnv = env.get(variable);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : fallback;
  }

  private static boolean configured(
      Map<String, Object> config, Map<String, String> env, String property, String variable) {
    return !setting(config, env, property, variable, "").isBlank();
  }

  /** The embedded broker is for the artemis bus only. */
  private static String busKind(Map<String, Object> config, Map<String, String> env) {
    return setting(config, env, "conductor.bus.kind", "CONDUCTOR_BUS_KIND", "artemis").strip();
  }

  private static int embeddedBrokerPort(Map<String, Object> config, Map<String, String> env) {
    return LocalPorts.parse(
        setting(
            config,
            env,
            "conductor.bus.artemis.embedded-port",
            "CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT",
            "61616"),
        0,
        BROKER_PORT_SETTING);
  }

  /** 0: the port this home's database had before (tenants were given it), or a new one. */
  private static int embeddedDatabasePort(Map<String, Object> config, Map<String, String> env) {
    return LocalPorts.parse(
        setting(
            config,
            env,
            "conductor.database.embedded-port",
            "CONDUCTOR_DATABASE_EMBEDDED_PORT",
            "0"),
        0,
        EmbeddedPostgresServer.PORT_SETTING);
  }

  /** The base URL of the HTTP API, e.g. http://localhost:8080. */
  public URI url() {
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    return URI.create("http://localhost:" + server.getPort());
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
        step("routing", () -> context.getBean(Dispatcher.class).stop());
        step("workers", () -> context.getBean(WorkerDrain.class).drainAll());
        step("control listeners", () -> context.getBean(ControlListeners.class).stop());
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
    ConductorServer server = start(Map.of());
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

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
