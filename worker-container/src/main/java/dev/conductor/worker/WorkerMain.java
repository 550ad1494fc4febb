package dev.conductor.worker;

import dev.conductor.messaging.BusException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The worker process. Exit codes: 0 after a clean shutdown (a {@code SHUTDOWN} message, SIGTERM or
 * SIGINT), 2 for bad configuration (one line on stderr), 1 for a fatal error or when jobs in flight
 * had to be interrupted at the end of the grace period.
 */
public final class WorkerMain {
  static final int OK = 0;
  static final int FATAL = 1;
  static final int BAD_CONFIGURATION = 2;

  /** Set once main has decided how to exit; the shutdown hook then keeps that code. */
  private static final AtomicInteger exitCode = new AtomicInteger(-1);

  private WorkerMain() {}

  /**
   * The standalone worker's logback configuration (text or CONDUCTOR_LOG_FORMAT=json, on stderr).
   */
  static final String LOGGING_CONFIGURATION = "logback-worker.xml";

  public static void main(String[] args) {
    // Before the first logger: logback reads its configuration once. An operator's own file wins.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGGING_CONFIGURATION);
    }
    // The OpenTelemetry SDK's lines (java.util.logging) in the same format as the worker's own.
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    int code = run(System.getenv(), System.err, true);
    exitCode.set(code);
    System.exit(code);
  }

  /** Runs a worker until it stops, without signal handling (tests); returns the exit code. */
  static int run(Map<String, String> environment, PrintStream err) {
    return run(environment, err, false);
  }

  /**
   * Runs a worker until it stops; returns the process exit code.
   *
   * @param signals whether SIGTERM/SIGINT drain the worker and halt the JVM (the process's own)
   */
  static int run(Map<String, String> environment, PrintStream err, boolean signals) {
    Worker worker;
    WorkerTracing tracing = WorkerTracing.fromEnvironment(environment);
    try {
      WorkerSettings settings = WorkerSettings.fromEnvironment(environment);
      worker =
          new Worker(
              settings,
              JobHandlers.load(),
              BusConnector.retrying(
                  BusConnector.forKind(settings.busKind()), settings.connectPatience()),
              tracing);
    } catch (InvalidConfigurationException e) {
      err.println("conductor-worker: " + e.getMessage());
      return BAD_CONFIGURATION;
    }
    Logger log = LoggerFactory.getLogger(WorkerMain.class);
    // Before start: a SIGTERM right after ready (a job may already run) must drain, not kill. The
    // hook's stop waits for a start in progress to finish, then drains as usual.
    if (signals) {
      Runtime.getRuntime()
          .addShutdownHook(new Thread(() -> onSignal(worker, tracing), "worker-sigterm"));
    }
    try {
      worker.start();
    } catch (BusException e) {
      // Expected failures (broker unreachable, subscription missing) need no stack trace.
      log.error("fatal error=\"{}\"", e.getMessage());
      return FATAL;
    } catch (RuntimeException e) {
      log.error("fatal error=\"{}\"", e.getMessage(), e);
      return FATAL;
    }
    worker.awaitTermination();
    tracing.close();
    return worker.stoppedCleanly() ? OK : FATAL;
  }

  /**
   * SIGTERM/SIGINT: drain like a SHUTDOWN message, then halt with our own code, since the JVM would
   * otherwise report 143 for a signal however cleanly the worker stopped.
   */
  private static void onSignal(Worker worker, WorkerTracing tracing) {
    boolean clean = worker.stop();
    tracing.close();
    int decided = exitCode.get();
    System.err.flush();
    Runtime.getRuntime().halt(decided >= 0 ? decided : clean ? OK : FATAL);
  }
}
